/**
 * What the day-2 operation steps read: the management cluster's caches through the reader
 * port (the same synchronous lookups queries use), and its write verbs.
 */
import type { FleetReader } from '../capi/fleet-reader.ts';
import type { CapiView, ClusterView, MachineView, ObjectAddress } from '../capi/views.ts';
import { snapshotCluster, type ClusterSnapshot } from './cluster-snapshot.ts';
import { writesOf, type ManagementClusterWrites } from './management-cluster-writes.ts';
import type { StepContext } from './operations/operation-type.ts';

export function readerOf(ctx: Pick<StepContext, 'reader'>): FleetReader {
  return ctx.reader;
}

/** The write verbs as the operation's requester (ctx.writer), with the cluster's resources. */
export function writesFor(ctx: Pick<StepContext, 'cache' | 'writer'>): ManagementClusterWrites {
  return writesOf(ctx.cache.connection, ctx.writer);
}

/** The object at `address` as the caches have it now, if it is still the one with `uid` (when given). */
export async function current<V extends CapiView>(
  ctx: Pick<StepContext, 'reader'>,
  address: ObjectAddress,
  uid?: string,
): Promise<V | null> {
  const view = await readerOf(ctx).get(address);
  if (!view || (uid !== undefined && uid !== '' && view.uid !== uid)) return null;
  return view as V;
}

export async function clusterSnapshot(
  ctx: Pick<StepContext, 'reader'>,
  cluster: ObjectAddress,
): Promise<ClusterSnapshot | null> {
  const view = await readerOf(ctx).get(cluster);
  if (view?.viewKind !== 'Cluster') return null;
  return snapshotCluster(readerOf(ctx), view as ClusterView);
}

/** The machines of a control plane, MachineDeployment (through its MachineSets), MachineSet or MachinePool. */
export async function machinesOf(reader: FleetReader, view: CapiView): Promise<MachineView[]> {
  if (view.viewKind === 'MachineDeployment') {
    const sets = await reader.owned(view, 'MachineSet');
    return (await Promise.all(sets.map((ms) => reader.owned(ms, 'Machine')))).flat();
  }
  return [...(await reader.owned(view, 'Machine'))];
}

/** An address as operation inputs store it (plain JSON). */
export function addressInput(address: ObjectAddress): Record<string, string> {
  return { ...address };
}

export function addressFromInput(value: unknown): ObjectAddress | null {
  const a = value as Partial<Record<keyof ObjectAddress, unknown>> | null | undefined;
  if (!a || typeof a.name !== 'string' || typeof a.kind !== 'string') return null;
  return {
    managementCluster: typeof a.managementCluster === 'string' ? a.managementCluster : '',
    group: typeof a.group === 'string' ? a.group : '',
    kind: a.kind,
    namespace: typeof a.namespace === 'string' ? a.namespace : '',
    name: a.name,
  };
}
