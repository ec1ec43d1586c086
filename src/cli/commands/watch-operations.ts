/**
 * `get operations -w`: the history now, then each operation that starts or moves. The schema
 * has no stream of new operations, so the newest page of the list is asked for again: every
 * 2 s, and at once (at most every 250 ms) when a cluster in scope changes — an operation at
 * work changes its cluster, so a new one shows while it runs. Each operation seen running or
 * pending is then followed over `operationUpdated` until it ends, so its steps and progress
 * show as they happen. Runs until interrupted (Ctrl-C: exit 0).
 */
import {
  FleetChangesDocument,
  FollowOperationDocument,
  type GatewayClient,
  ListOperationsDocument,
  type OperationFieldsFragment,
  type OperationFilter,
} from '../../../client/index.ts';
import type { GetOptions } from './get-clusters.ts';
import { listOperations, operationFilter, operationFormat } from './get-operations.ts';
import { liveSubscription } from './live-subscription.ts';
import type { LiveRows } from './live-rows.ts';
import { isFinished } from './operation-view.ts';
import { clientFrom, exitCodes, failureOf } from './output.ts';
import { stopOnInterrupt } from './stop-on-interrupt.ts';
import { watchRows } from './watch-rows.ts';

const pollMs = 2_000;
const minGapMs = 250;
const newestPage = 50;

export async function watchOperations(opts: GetOptions): Promise<number> {
  const filter = operationFilter(opts);
  const client = clientFrom(opts);
  const operations = await listOperations(client, filter);
  const rows = watchRows(operationFormat(opts.output === 'wide'), opts.output);
  if (operations.length === 0 && !['json', 'yaml'].includes(opts.output))
    process.stderr.write('No operations found.\n');
  rows.start(operations.map((op) => ({ key: op.id, item: op })));
  const release = stopOnInterrupt(async () => {
    rows.close();
    await client.close();
  });
  try {
    await pollAndFollow(client, filter, rows, operations);
  } finally {
    release();
    rows.close();
    await client.close();
  }
  return exitCodes.ok;
}

/** Asks for the newest operations every 2 s, forever; follows each one under way. */
async function pollAndFollow(
  client: GatewayClient,
  filter: OperationFilter,
  rows: LiveRows<OperationFieldsFragment>,
  listed: OperationFieldsFragment[],
): Promise<never> {
  // A followed operation's stream is newer than a list asked before its last event.
  const followed = new Set<string>();
  const follow = (op: OperationFieldsFragment) => {
    if (isFinished(op.phase) || followed.has(op.id)) return;
    followed.add(op.id);
    void followOne(client, op.id, rows).finally(() => followed.delete(op.id));
  };
  listed.forEach(follow);
  let wake = () => {};
  void wakeOnChange(client, filter, () => wake());
  let lost = false;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, minGapMs));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs - minGapMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const res = await client.request(ListOperationsDocument, { filter, first: newestPage });
    if (!res.ok) {
      if (res.error.kind === 'graphql') throw failureOf(res.error);
      if (!lost)
        process.stderr.write(`warning: lost the gateway at ${client.url} (${res.error.message}); retrying\n`);
      lost = true;
      continue;
    }
    if (lost) process.stderr.write(`reconnected to the gateway at ${client.url}\n`);
    lost = false;
    for (const { node: op } of res.data.operations.edges) {
      if (!followed.has(op.id)) rows.set(op.id, op);
      follow(op);
    }
  }
}

/** Calls `wake` on every change of a cluster in scope; the list's warnings are enough. */
async function wakeOnChange(client: GatewayClient, filter: OperationFilter, wake: () => void): Promise<void> {
  const quiet = { write: () => true };
  const scope = {
    ...(filter.managementCluster ? { managementCluster: filter.managementCluster } : {}),
    ...(filter.namespace ? { namespace: filter.namespace } : {}),
  };
  try {
    const changes = liveSubscription(
      client,
      FleetChangesDocument,
      { filter: scope },
      {
        reopenOnEnd: true,
        followedBefore: true,
        log: quiet,
      },
    );
    for await (const _ of changes) wake();
  } catch {
    // Without it, the list is still asked for every 2 s.
  }
}

/** One operation over its stream until it ends; a stream that fails is a warning (the list goes on). */
async function followOne(
  client: GatewayClient,
  id: string,
  rows: LiveRows<OperationFieldsFragment>,
): Promise<void> {
  try {
    for await (const { operationUpdated: op } of liveSubscription(
      client,
      FollowOperationDocument,
      { id },
      { followedBefore: true },
    )) {
      rows.set(op.id, op);
      if (isFinished(op.phase)) return;
    }
  } catch (error) {
    process.stderr.write(
      `warning: operation ${id}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
