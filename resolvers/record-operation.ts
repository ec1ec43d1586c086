import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import type { StartOperationRequest } from '../src/provisioning/operations/operation-type.ts';
import type { GatewayContext } from './context.ts';
import { toGraphQLError } from './domain-errors.ts';
import { operationsOf } from './operations.ts';

/** Records the operation tracking a mutation (requested by the caller); a failure is a typed error. */
export async function recordOperation(
  ctx: GatewayContext,
  request: Omit<StartOperationRequest, 'requestedBy'>,
): Promise<OperationRecord> {
  const started = await operationsOf(ctx).startOperation({ ...request, requestedBy: ctx.requestedBy });
  if (!started.ok) throw toGraphQLError(started.error, 'Operation');
  return started.value;
}
