/**
 * `capi-gateway watch cluster NAME`: the describe tree, redrawn whenever the cluster's tree
 * changes, from the `clusterUpdated` subscription (tree-view.ts shows it, changed rows marked).
 * The cluster deleted ends it with one line and exit 0; Ctrl-C ends it with exit 0.
 */
import { ClusterIdDocument, type GatewayClient, WatchClusterTreeDocument } from '../../../client/index.ts';
import type { DescribeOptions } from './describe-cluster.ts';
import { buildTree, type TreeOptions } from './describe-tree.ts';
import { liveSubscription } from './live-subscription.ts';
import { locateCluster, type Where } from './locate-cluster.ts';
import { CliFailure, clientFrom, exitCodes, failureOf, painter, runCommand } from './output.ts';
import { showConditionsProblem } from './show-conditions.ts';
import { stopOnInterrupt } from './stop-on-interrupt.ts';
import { logTreeView, terminalTreeView, type TreeView } from './tree-view.ts';

export type WatchOptions = Omit<DescribeOptions, 'output'>;

export async function runWatch(kind: string, name: string, opts: WatchOptions): Promise<void> {
  await runCommand(async () => {
    if (!['cluster', 'clusters', 'cl'].includes(kind.toLowerCase()))
      throw new CliFailure(`cannot watch "${kind}" (only: cluster)`, exitCodes.usage);
    const badFilter = showConditionsProblem(opts.showConditions ?? '');
    if (badFilter) throw new CliFailure(badFilter, exitCodes.usage);
    const client = clientFrom(opts);
    const where = await locateCluster(client, name, opts);
    const id = await clusterId(client, where);
    if (id === undefined) throw new CliFailure(`cluster "${name}" not found`, exitCodes.failed);
    const paint = painter();
    const view = process.stdout.isTTY ? terminalTreeView(paint) : logTreeView(paint);
    const release = stopOnInterrupt(async () => {
      view.close();
      await client.close();
    });
    try {
      await followUntilGone(client, id, where, view, {
        grouping: opts.grouping && !opts.disableGrouping,
        showMachineSets: opts.showMachinesets,
        showHealthChecks: opts.showMachinehealthchecks === true,
        echo: opts.echo === true,
        ...(opts.showConditions ? { showConditions: opts.showConditions } : {}),
      });
    } finally {
      release();
      view.close();
      await client.close();
    }
    process.stdout.write(`Cluster ${where.namespace}/${where.name} deleted\n`);
    return exitCodes.ok;
  });
}

/** The cluster's ID, or nothing when it is not there (any more). */
async function clusterId(client: GatewayClient, where: Where): Promise<string | undefined> {
  const res = await client.request(ClusterIdDocument, where);
  if (!res.ok) throw failureOf(res.error);
  const cluster = res.data.cluster;
  if (cluster.__typename === 'Cluster') return cluster.id;
  if (cluster.__typename === 'NotFoundError') return undefined;
  throw new CliFailure(cluster.message, exitCodes.failed);
}

/**
 * Shows each tree until the stream ends with the cluster gone. A stream that ends (or fails)
 * while the cluster is still there, or while the gateway cannot say, is followed again.
 */
async function followUntilGone(
  client: GatewayClient,
  id: string,
  where: Where,
  view: TreeView,
  tree: TreeOptions,
): Promise<void> {
  const variables = { id, withHealthChecks: tree.showHealthChecks === true };
  let followedBefore = false;
  for (;;) {
    try {
      for await (const data of liveSubscription(client, WatchClusterTreeDocument, variables, {
        followedBefore,
      })) {
        followedBefore = true;
        if (data.clusterUpdated) view.show(buildTree(data.clusterUpdated, tree));
      }
    } catch (error) {
      // A cluster deleted between two streams is refused as not found: that is its end too.
      if (!(error instanceof CliFailure) || !(await isGone(client, where))) throw error;
      return;
    }
    if (await isGone(client, where)) return;
  }
}

/** True when the gateway says the cluster is not there; false when it is, or cannot say now. */
async function isGone(client: GatewayClient, where: Where): Promise<boolean> {
  const res = await client.request(ClusterIdDocument, where);
  if (!res.ok) {
    if (res.error.kind === 'graphql') throw failureOf(res.error);
    return false;
  }
  return res.data.cluster.__typename === 'NotFoundError';
}
