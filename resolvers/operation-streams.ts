import { isTerminal, type OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import type { ClusterMessage } from '../src/subscriptions/cluster-change-hub.ts';
import { latestQueue } from '../src/subscriptions/latest-queue.ts';
import { streamOf, type Step } from '../src/subscriptions/stream.ts';
import type { GatewayContext } from './context.ts';
import { ManagementClusterUnavailableError, NotFoundError } from './errors.ts';
import { operation, operationsOf } from './operations.ts';

/** Steps waiting per subscriber before intermediate ones are dropped (the latest is kept). */
const bufferCapacity = 64;

/**
 * The operation now, then every recorded change of it, step by step; the stream completes
 * after the value that shows it ended (SUCCEEDED, FAILED, CANCELLED) or once it is deleted.
 */
export function operationUpdates(
  ctx: GatewayContext,
  id: string,
): AsyncIterableIterator<OperationRecord | Error> {
  const first = operation(ctx, id);
  if (!first) throw new NotFoundError('Operation', `no operation with ID '${id}'`);
  const store = operationsOf(ctx).store(first.address.managementCluster);
  if (!store || isTerminal(first)) {
    const ended = latestQueue<OperationRecord | null>(1, () => undefined);
    ended.close();
    return streamOf(ended, [first], () => 'end');
  }
  const { namespace, name, managementCluster } = first.address;
  const queue = latestQueue<OperationRecord | null | Error>(bufferCapacity, () => {
    off();
    offAvailability();
  });
  const off = store.onChange((change) => {
    const op = change.new ?? change.old;
    if (op?.address.namespace !== namespace || op.address.name !== name) return;
    queue.push(change.new ?? null);
  });
  // The operation lives in its management cluster: while that is away, say so on the path.
  const offAvailability =
    ctx.changes?.subscribeFleet((m: ClusterMessage) => {
      if (m.kind === 'availability' && m.managementCluster === managementCluster && m.unavailable !== null)
        queue.push(new ManagementClusterUnavailableError(managementCluster, m.unavailable));
    }) ?? (() => undefined);
  // Changes between the read above and the subscription: the store holds the latest.
  const now = store.get(namespace, name) ?? first;
  let ended = false;
  if (isTerminal(now)) queue.close();
  return streamOf(queue, now === first ? [first] : [first, now], (op): Step<OperationRecord | Error> => {
    if (op instanceof Error) return ended ? 'end' : [op];
    if (ended || !op) return 'end';
    if (isTerminal(op)) {
      ended = true;
      queue.close();
    }
    return [op];
  });
}
