/**
 * SubjectAccessReview: the API server's own answer to "may this user do this?" — what
 * `kubectl auth can-i --as` asks — so the gateway filters reads exactly as RBAC (or any
 * authorizer the API server runs) would.
 */
import { statusToDomainError, toDomainError } from './api-errors.ts';
import type { Result } from './domain-error.ts';
import type { Impersonation } from './impersonation.ts';
import type { KubeRequester } from './kube-request.ts';

/** What is asked for, as SubjectAccessReview's resourceAttributes ('' namespace: every namespace). */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  namespace: string;
  name?: string;
  subresource?: string;
}

export type AccessReviewer = (who: Impersonation, attributes: ResourceAttributes) => Promise<Result<boolean>>;

const path = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

function describe(a: ResourceAttributes): string {
  const resource = a.group ? `${a.resource}.${a.group}` : a.resource;
  return `review access to ${a.verb} ${resource}${a.namespace ? ` in ${a.namespace}` : ''}`;
}

export function accessReviewer(request: KubeRequester): AccessReviewer {
  return async (who, attributes) => {
    const what = describe(attributes);
    try {
      const response = await request({
        method: 'POST',
        path,
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: { user: who.user, groups: [...who.groups], resourceAttributes: attributes },
        },
      });
      if (response.status < 200 || response.status >= 300)
        return { ok: false, error: statusToDomainError(response.status, response.body, what) };
      const status = (response.body as { status?: { allowed?: unknown } } | undefined)?.status;
      return { ok: true, value: status?.allowed === true };
    } catch (err) {
      return { ok: false, error: toDomainError(err, what) };
    }
  };
}
