/**
 * An apply patch that creates its object also needs `create` (kube-apiserver's patch handler
 * wraps createValidation in withAuthorization with the create attributes): `patch` alone on a
 * name that does not exist yet must not make an object appear.
 */
import type { ResourceType } from '../resource-type.ts';
import type { Authorizer } from './authorizer.ts';
import { forbiddenError } from './forbidden.ts';
import type { UserInfo } from './user.ts';

export interface CreateTarget {
  rt: ResourceType;
  namespace?: string;
  name?: string;
}

export function authorizeCreateByApply(
  authorizer: Authorizer | undefined,
  user: UserInfo | undefined,
  target: CreateTarget,
): void {
  if (!authorizer || !user) return;
  const attributes = {
    user,
    verb: 'create',
    resourceRequest: true,
    // Only non-resource requests are matched or described by their path.
    path: '',
    apiGroup: target.rt.group,
    apiVersion: target.rt.version,
    resource: target.rt.plural,
    subresource: '',
    namespace: target.namespace ?? '',
    name: target.name ?? '',
  };
  const decision = authorizer.authorize(attributes);
  if (!decision.allowed) throw forbiddenError(attributes, decision.reason);
}
