import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import type { StartOperationRequest } from '../src/provisioning/operations/operation-type.ts';
import type { GatewayContext } from './context.ts';
import { toGraphQLError } from './domain-errors.ts';
import { operationsOf } from './operations.ts';

/**
 * Who an operation is recorded for: the caller, with their groups when authenticated — the
 * driver then writes as them (any replica, after a takeover too); without authentication only
 * 'anonymous', and the driver writes as the gateway.
 */
export function requesterOf(
  ctx: GatewayContext,
): Pick<StartOperationRequest, 'requestedBy' | 'requestedGroups'> {
  return {
    requestedBy: ctx.requestedBy,
    ...(ctx.identity ? { requestedGroups: [...ctx.identity.groups] } : {}),
  };
}

/** Records the operation tracking a mutation (requested by the caller); a failure is a typed error. */
export async function recordOperation(
  ctx: GatewayContext,
  request: Omit<StartOperationRequest, 'requestedBy' | 'requestedGroups'>,
): Promise<OperationRecord> {
  const started = await operationsOf(ctx).startOperation({ ...request, ...requesterOf(ctx) });
  if (!started.ok) throw toGraphQLError(started.error, 'Operation');
  return started.value;
}
