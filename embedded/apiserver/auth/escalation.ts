/**
 * RBAC's escalation prevention, as kube's rbac registry: a user may write a Role/ClusterRole
 * only with rules they already hold (or the `escalate` verb on it), and a binding only to a
 * role whose rules they hold (or the `bind` verb on it); an aggregationRule takes full power.
 * `system:masters` may do anything. Unchanged rules / subjects are not checked again.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../admission.ts';
import { forbidden, notFound, type StatusError } from '../errors.ts';
import type { Attributes } from './attributes.ts';
import type { Authorizer } from './authorizer.ts';
import { policyRules, type PolicyRule } from './policy-rule.ts';
import { rbacGroup, type Binding } from './rbac-index.ts';
import { privilegedGroup, type UserInfo } from './user.ts';

const has = (set: string[], value: string) => set.includes(value);
const hasAll = (set: string[], values: string[]) => values.every((v) => set.includes(v));

function resourcesCover(owner: string[], requested: string[]): boolean {
  if (has(owner, '*') || hasAll(owner, requested)) return true;
  return requested.every((path) => {
    if (has(owner, path)) return true;
    const slash = path.indexOf('/');
    return slash >= 0 && has(owner, `*/${path.slice(slash + 1)}`);
  });
}

function urlsCover(owner: string[], requested: string[]): boolean {
  return requested.every((url) =>
    owner.some((o) => o === url || (o.endsWith('*') && url.startsWith(o.replace(/\*+$/, '')))),
  );
}

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const names =
    sub.resourceNames.length === 0
      ? owner.resourceNames.length === 0
      : owner.resourceNames.length === 0 || hasAll(owner.resourceNames, sub.resourceNames);
  return (
    (has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs)) &&
    (has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups)) &&
    resourcesCover(owner.resources, sub.resources) &&
    urlsCover(owner.nonResourceURLs, sub.nonResourceURLs) &&
    names
  );
}

const simple = (fields: Partial<PolicyRule>): PolicyRule => ({
  verbs: [],
  apiGroups: [],
  resources: [],
  resourceNames: [],
  nonResourceURLs: [],
  ...fields,
});

/** One verb, group, resource and name per rule (kube's BreakdownRule). */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups)
    for (const resource of rule.resources)
      for (const verb of rule.verbs) {
        const base = { apiGroups: [group], resources: [resource], verbs: [verb] };
        if (rule.resourceNames.length === 0) out.push(simple(base));
        else for (const name of rule.resourceNames) out.push(simple({ ...base, resourceNames: [name] }));
      }
  for (const url of rule.nonResourceURLs)
    for (const verb of rule.verbs) out.push(simple({ nonResourceURLs: [url], verbs: [verb] }));
  return out;
}

const quoted = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;

/** kube's CompactString: `{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`. */
function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups.length) parts.push(`APIGroups:${quoted(rule.apiGroups)}`);
  if (rule.resources.length) parts.push(`Resources:${quoted(rule.resources)}`);
  if (rule.nonResourceURLs.length) parts.push(`NonResourceURLs:${quoted(rule.nonResourceURLs)}`);
  if (rule.resourceNames.length) parts.push(`ResourceNames:${quoted(rule.resourceNames)}`);
  if (rule.verbs.length) parts.push(`Verbs:${quoted(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** Missing simple resource rules merged by group/resource/name (kube's CompactRules). */
function compact(missing: PolicyRule[]): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  const out: PolicyRule[] = [];
  for (const rule of missing) {
    if (rule.nonResourceURLs.length) {
      out.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups, rule.resources, rule.resourceNames]);
    const known = merged.get(key);
    if (known) {
      if (!known.verbs.includes(rule.verbs[0]!)) known.verbs.push(rule.verbs[0]!);
    } else {
      const copy = { ...rule, verbs: [...rule.verbs] };
      merged.set(key, copy);
      out.push(copy);
    }
  }
  return out;
}

/** The held rules of `user` in `namespace`, and the rules of `rules` they do not cover. */
function notHeld(
  authorizer: Authorizer,
  user: UserInfo,
  namespace: string,
  rules: PolicyRule[],
): string | undefined {
  const owner: PolicyRule[] = [];
  const errors: string[] = [];
  for (const visit of authorizer.current().visitRules(user, namespace)) {
    if ('error' in visit) errors.push(visit.error);
    else owner.push(visit.rule);
  }
  const missing = rules.flatMap(breakdown).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
  if (missing.length === 0) return undefined;
  const descriptions = [...new Set(compact(missing).map(compactString))].sort();
  const groups = quoted(user.groups);
  let message = `user ${JSON.stringify(user.name)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  if (errors.length) message += `; resolution errors: [${errors.join(' ')}]`;
  return message;
}

function allowedTo(
  authorizer: Authorizer,
  user: UserInfo,
  verb: string,
  resource: string,
  namespace: string,
  name: string,
): boolean {
  const attributes: Attributes = {
    user,
    verb,
    resourceRequest: true,
    path: '',
    apiGroup: rbacGroup,
    apiVersion: 'v1',
    resource,
    subresource: '',
    namespace,
    name,
  };
  return authorizer.authorize(attributes).allowed;
}

const fullAuthority: PolicyRule[] = [
  simple({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }),
  simple({ verbs: ['*'], nonResourceURLs: ['*'] }),
];

function refused(plural: string, name: string, message: string): StatusError {
  return forbidden(`${plural}.${rbacGroup} ${JSON.stringify(name)} is forbidden: ${message}`, {
    name,
    group: rbacGroup,
    kind: plural,
  });
}

function checkRole(
  authorizer: Authorizer,
  user: UserInfo,
  obj: KubeObject,
  old: KubeObject | undefined,
): void {
  const plural = obj.kind === 'Role' ? 'roles' : 'clusterroles';
  const name = obj.metadata.name ?? '';
  const namespace = obj.metadata.namespace ?? '';
  if (
    old &&
    isDeepStrictEqual(old['rules'] ?? [], obj['rules'] ?? []) &&
    isDeepStrictEqual(old['aggregationRule'], obj['aggregationRule'])
  )
    return;
  if (allowedTo(authorizer, user, 'escalate', plural, namespace, name)) return;
  if (
    obj['aggregationRule'] !== undefined &&
    notHeld(authorizer, user, namespace, fullAuthority) !== undefined
  )
    throw refused(plural, name, 'must have cluster-admin privileges to use the aggregationRule');
  const missing = notHeld(authorizer, user, namespace, policyRules(obj['rules']));
  if (missing) throw refused(plural, name, missing);
}

function checkBinding(
  authorizer: Authorizer,
  user: UserInfo,
  obj: KubeObject,
  old: KubeObject | undefined,
): void {
  const plural = obj.kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
  const name = obj.metadata.name ?? '';
  const namespace = obj.metadata.namespace ?? '';
  if (
    old &&
    isDeepStrictEqual(old['subjects'], obj['subjects']) &&
    isDeepStrictEqual(old['roleRef'], obj['roleRef'])
  )
    return;
  const roleRef = (obj['roleRef'] ?? {}) as Binding['roleRef'];
  const roleResource = roleRef.kind === 'Role' ? 'roles' : 'clusterroles';
  if (allowedTo(authorizer, user, 'bind', roleResource, namespace, roleRef.name)) return;
  const index = authorizer.current();
  const rules =
    roleRef.kind === 'Role'
      ? index.roleRules(namespace, roleRef.name)
      : index.clusterRoleRules(roleRef.name, new Set());
  if (!rules) throw notFound({ group: rbacGroup, resource: roleRef.kind.toLowerCase() }, roleRef.name);
  const missing = notHeld(authorizer, user, namespace, rules);
  if (missing) throw refused(plural, name, missing);
}

/** Throws 403 when `user` would grant more than it holds by writing `obj`. */
export function checkEscalation(
  authorizer: Authorizer,
  user: UserInfo,
  obj: KubeObject,
  old: KubeObject | undefined,
): void {
  if (user.groups.includes(privilegedGroup)) return;
  if (obj.kind === 'Role' || obj.kind === 'ClusterRole') checkRole(authorizer, user, obj, old);
  if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding')
    checkBinding(authorizer, user, obj, old);
}
