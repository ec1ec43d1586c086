/**
 * Who an operation's writes are made as. Decided from the Operation object alone, never from
 * the configuration of the replica driving it: a replica that takes the Lease over (or a
 * restarted one) acts as the same user the first one did.
 */
import type { Impersonation } from '../../k8s/impersonation.ts';
import type { OperationRecord } from './operation-record.ts';

/** What a gateway without authentication records as the requester. */
export const ANONYMOUS_REQUESTER = 'anonymous';

/**
 * The user to impersonate for `operation`'s writes, or undefined for the gateway's own identity.
 *
 * - Recorded with groups (the requesting gateway authenticated the caller): that user and those
 *   groups, so the API server decides with the user's RBAC, as for the mutation itself.
 * - Recorded anonymously (no authentication configured then): nobody to impersonate, so the
 *   gateway's identity, as when it was requested — even on a replica that now authenticates.
 *   Whoever could reach that gateway could already make it write as itself; impersonating
 *   'anonymous' now would only fail the operation half-way.
 * - A named requester without groups (recorded before spec.requestedGroups existed, or pruned by
 *   an Operation CRD that lacks the field): the user alone, never the gateway — a user's
 *   operation must not gain the gateway's power; a grant they held through a group is then
 *   missing, and the step fails Forbidden rather than succeeding as someone else.
 *
 * Operation objects are therefore trusted input: grant `create` on operations.capi-gateway.dev
 * to the gateway alone (users start and cancel operations through its mutations).
 */
export function actorOf(
  operation: Pick<OperationRecord, 'requestedBy' | 'requestedGroups'>,
): Impersonation | undefined {
  if (operation.requestedGroups !== null)
    return { user: operation.requestedBy, groups: operation.requestedGroups };
  if (operation.requestedBy === ANONYMOUS_REQUESTER || operation.requestedBy === '') return undefined;
  return { user: operation.requestedBy, groups: [] };
}
