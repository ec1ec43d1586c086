/**
 * What `get machines -w` and `get machinedeployments -w` share: one `clusterEvents`
 * subscription for the whole scope, however many clusters, whose events carry each cluster's
 * rows. A cluster's tree changed: its rows now replace its rows before (live-rows.ts shows
 * what is new, changed or gone); a cluster deleted: its rows are gone. The stream first sends
 * every cluster as it is, which also catches what changed since the list was printed. Runs
 * until interrupted (Ctrl-C: exit 0).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { ClusterFilter, GatewayClient } from '../../../client/index.ts';
import { liveSubscription } from './live-subscription.ts';
import type { LiveRows } from './live-rows.ts';
import { exitCodes } from './output.ts';
import { stopOnInterrupt } from './stop-on-interrupt.ts';

interface EventCluster {
  name: string;
  namespace: string;
  managementCluster: { name: string };
}

interface ClusterEvents<C extends EventCluster> {
  clusterEvents: { type: string; cluster: C | null };
}

/** The part of the rows one cluster holds. */
export const clusterPart = (mc: string, namespace: string, name: string): string =>
  `${mc}/${namespace}/${name}`;

export async function followClusterRows<T, C extends EventCluster>(
  client: GatewayClient,
  document: TypedDocumentNode<ClusterEvents<C>, { filter?: ClusterFilter | null }>,
  filter: ClusterFilter,
  rows: LiveRows<T>,
  rowsOf: (cluster: C) => Array<{ key: string; item: T }>,
): Promise<number> {
  const release = stopOnInterrupt(async () => {
    rows.close();
    await client.close();
  });
  try {
    // The list just answered: a gateway lost from here on is waited for.
    const events = liveSubscription(
      client,
      document,
      { filter },
      { reopenOnEnd: true, followedBefore: true },
    );
    for await (const { clusterEvents: event } of events) {
      const cluster = event.cluster;
      if (!cluster) continue;
      const part = clusterPart(cluster.managementCluster.name, cluster.namespace, cluster.name);
      rows.replace(part, event.type === 'DELETED' ? [] : rowsOf(cluster));
    }
  } finally {
    release();
    rows.close();
    await client.close();
  }
  return exitCodes.ok;
}
