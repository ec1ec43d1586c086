/**
 * authorization.k8s.io/v1 reviews, answered by the same authorizer every request goes through:
 * SubjectAccessReview (any user, as given), LocalSubjectAccessReview (one namespace),
 * SelfSubjectAccessReview (the requester) and SelfSubjectRulesReview (the requester's rules);
 * and authentication.k8s.io/v1 SelfSubjectReview (who the requester is: `kubectl auth whoami`).
 */
import type { AdmissionCause, KubeObject } from '../admission.ts';
import { badRequest, invalid, StatusError } from '../errors.ts';
import type { Attributes } from './attributes.ts';
import type { Authorizer } from './authorizer.ts';
import type { PolicyRule } from './policy-rule.ts';
import type { UserInfo } from './user.ts';

export const authorizationGroup = 'authorization.k8s.io';
export const reviewKinds = new Set([
  'SubjectAccessReview',
  'LocalSubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
]);

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

interface ReviewSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: NonResourceAttributes | null;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  namespace?: string;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function cause(field: string, value: string, detail: string): AdmissionCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${value}: ${detail}` };
}

function summary(causes: AdmissionCause[]): string {
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return causes.length > 1 ? `[${text}]` : text;
}

function attributesCauses(spec: ReviewSpec): AdmissionCause[] {
  const causes: AdmissionCause[] = [];
  const hasResource = spec.resourceAttributes != null;
  const hasNonResource = spec.nonResourceAttributes != null;
  if (hasResource && hasNonResource)
    causes.push(
      cause(
        'spec.nonResourceAttributes',
        JSON.stringify(spec.nonResourceAttributes),
        'cannot be specified in combination with resourceAttributes',
      ),
    );
  if (!hasResource && !hasNonResource)
    causes.push(
      cause(
        'spec.resourceAttributes',
        'null',
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  return causes;
}

/** kube requires an empty ObjectMeta (a zero creationTimestamp, as protobuf clients send, counts as empty). */
function metadataIsEmpty(obj: KubeObject, namespaced: boolean): boolean {
  const { managedFields: _m, creationTimestamp: _c, namespace, ...rest } = obj.metadata;
  const meaningful = Object.values(rest).filter((v) => v !== undefined && v !== '' && v !== null);
  return meaningful.length === 0 && (namespaced || !namespace);
}

function reviewedAttributes(user: UserInfo, spec: ReviewSpec): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user,
      verb: str(r.verb),
      resourceRequest: true,
      path: '',
      apiGroup: str(r.group),
      apiVersion: str(r.version) || '*',
      resource: str(r.resource),
      subresource: str(r.subresource),
      namespace: str(r.namespace),
      name: str(r.name),
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return {
    user,
    verb: str(n.verb),
    resourceRequest: false,
    path: str(n.path),
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
  };
}

function rulesReviewStatus(authorizer: Authorizer, user: UserInfo, namespace: string): object {
  const resourceRules: object[] = [];
  const nonResourceRules: object[] = [];
  const errors: string[] = [];
  const add = (rule: PolicyRule) => {
    if (rule.nonResourceURLs.length)
      nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    if (rule.resources.length || rule.apiGroups.length)
      resourceRules.push({
        verbs: rule.verbs,
        ...(rule.apiGroups.length ? { apiGroups: rule.apiGroups } : {}),
        ...(rule.resources.length ? { resources: rule.resources } : {}),
        ...(rule.resourceNames.length ? { resourceNames: rule.resourceNames } : {}),
      });
  };
  for (const visit of authorizer.current().visitRules(user, namespace)) {
    if ('error' in visit) errors.push(visit.error);
    else add(visit.rule);
  }
  return {
    resourceRules,
    nonResourceRules,
    incomplete: errors.length > 0,
    ...(errors.length ? { evaluationError: errors.join(', ') } : {}),
  };
}

/**
 * The answer to a create of a review kind: the object with its status. `namespace` is the URL's
 * (LocalSubjectAccessReview); `requester` the authenticated (or impersonated) user.
 */
export function answerReview(
  kind: string,
  body: KubeObject,
  namespace: string | undefined,
  requester: UserInfo,
  authorizer: Authorizer,
): KubeObject {
  const spec = (typeof body['spec'] === 'object' && body['spec'] !== null ? body['spec'] : {}) as ReviewSpec;
  const ref = { group: authorizationGroup, resource: `${kind.toLowerCase()}s` };
  const reply = (status: object): KubeObject => ({
    kind,
    apiVersion: `${authorizationGroup}/v1`,
    metadata: namespace ? { namespace } : {},
    spec,
    status,
  });
  if (kind === 'SelfSubjectReview') {
    const { name: username, uid, groups, extra } = requester;
    return {
      kind,
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {},
      status: { userInfo: { username, ...(uid ? { uid } : {}), groups, ...(extra ? { extra } : {}) } },
    };
  }
  if (kind === 'SelfSubjectRulesReview') {
    if (!str(spec.namespace))
      throw invalid(ref, kind, '', [cause('spec.namespace', '""', 'must be specified')]);
    return reply(rulesReviewStatus(authorizer, requester, str(spec.namespace)));
  }
  const causes = attributesCauses(spec);
  if (kind === 'SubjectAccessReview' || kind === 'LocalSubjectAccessReview') {
    if (!str(spec.user) && !(Array.isArray(spec.groups) && spec.groups.length))
      causes.push(
        cause('spec.user', JSON.stringify(str(spec.user)), 'at least one of user or group must be specified'),
      );
  }
  if (kind === 'LocalSubjectAccessReview') {
    if (!namespace) throw badRequest('namespace is required on this type: ');
    if (spec.nonResourceAttributes != null)
      causes.push(
        cause(
          'spec.nonResourceAttributes',
          JSON.stringify(spec.nonResourceAttributes),
          'disallowed on this kind of request',
        ),
      );
    if (spec.resourceAttributes && str(spec.resourceAttributes.namespace) !== namespace)
      causes.push(
        cause(
          'spec.resourceAttributes.namespace',
          JSON.stringify(str(spec.resourceAttributes.namespace)),
          'must match metadata.namespace',
        ),
      );
  }
  if (!metadataIsEmpty(body, kind === 'LocalSubjectAccessReview'))
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata', message: 'Invalid value: must be empty' });
  // kube names no kind here (the review has no TypeMeta when it is validated).
  if (causes.length)
    throw new StatusError(422, 'Invalid', `.${authorizationGroup} "" is invalid: ${summary(causes)}`, {
      group: authorizationGroup,
      causes,
    });
  const subject: UserInfo = kind.startsWith('Self')
    ? requester
    : {
        name: str(spec.user),
        uid: str(spec.uid),
        groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [],
      };
  const decision = authorizer.authorize(reviewedAttributes(subject, spec));
  return reply({ allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) });
}
