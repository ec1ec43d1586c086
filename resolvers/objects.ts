import type {
  ClusterMemberKind,
  FleetReader,
  MaybePromise,
  OwnedKind,
  ViewByKind,
} from '../src/capi/fleet-reader.ts';
import type {
  CapiView,
  ClusterClassView,
  ClusterView,
  MachineDeploymentView,
  MachineHealthCheckView,
  MachineView,
  ObjectRef,
} from '../src/capi/views.ts';
import { clusterOf as clusterOfView, ownerOf as ownerOfView } from '../src/capi/cluster-of.ts';
import type { GatewayContext } from './context.ts';
import { ManagementClusterUnavailableError, NotFoundError, UnknownManagementClusterError } from './errors.ts';
import { decodeGlobalId } from './global-id.ts';
import { isOperationAddress } from './operations.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import { all, chain } from './maybe-promise.ts';
import { machinePhaseOf, type MachinePhase } from './phases.ts';

export function cluster(
  ctx: GatewayContext,
  managementCluster: string,
  namespace: string,
  name: string,
): MaybePromise<ClusterView> {
  assertAvailable(ctx.reader, managementCluster);
  const address = { managementCluster, group: 'cluster.x-k8s.io', kind: 'Cluster', namespace, name };
  return chain(ctx.reader.get(address), (view) => {
    if (view?.viewKind !== 'Cluster')
      throw new NotFoundError(`Cluster ${namespace}/${name} on '${managementCluster}'`);
    return view;
  });
}

export function assertAvailable(reader: FleetReader, managementCluster: string): void {
  if (!reader.managementCluster(managementCluster))
    throw new UnknownManagementClusterError(managementCluster);
  const reason = reader.availability(managementCluster);
  if (reason) throw new ManagementClusterUnavailableError(managementCluster, reason);
}

/** `node(id)`: null for an ID that names nothing; a typed error when its management cluster is down. */
export function node(ctx: GatewayContext, id: string): MaybePromise<CapiView | OperationRecord | null> {
  const address = decodeGlobalId(id);
  if (!address) return null;
  if (isOperationAddress(address)) return ctx.operations?.get(address) ?? null;
  if (!ctx.reader.managementCluster(address.managementCluster)) return null;
  assertAvailable(ctx.reader, address.managementCluster);
  return ctx.reader.get(address);
}

/**
 * `nodes(ids)`: each ID on its own — one whose management cluster is down becomes an error
 * at its own list index (graphql-js turns a returned Error into that item's error), the
 * others still resolve.
 */
export function nodes(
  ctx: GatewayContext,
  ids: readonly string[],
): MaybePromise<Array<CapiView | OperationRecord | Error | null>> {
  return all(
    ids.map((id): MaybePromise<CapiView | OperationRecord | Error | null> => {
      try {
        const found = node(ctx, id);
        return found instanceof Promise ? found.catch((err: unknown) => asError(err)) : found;
      } catch (err) {
        return asError(err);
      }
    }),
  );
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export function resolveRef(
  ctx: GatewayContext,
  from: CapiView,
  ref: ObjectRef | null,
): MaybePromise<CapiView | null> {
  return ref ? ctx.reader.resolveRef(from.address.managementCluster, ref) : null;
}

export function ofCluster<K extends ClusterMemberKind>(
  ctx: GatewayContext,
  c: ClusterView,
  kind: K,
): MaybePromise<readonly ViewByKind[K][]> {
  return ctx.reader.ofCluster(c, kind);
}

export function owned<K extends OwnedKind>(
  ctx: GatewayContext,
  owner: CapiView,
  kind: K,
): MaybePromise<readonly ViewByKind[K][]> {
  return ctx.reader.owned(owner, kind);
}

/** A MachineDeployment's Machines: through its MachineSets, plus any labelled with its name. */
export function machinesOfDeployment(
  ctx: GatewayContext,
  md: MachineDeploymentView,
): MaybePromise<MachineView[]> {
  return chain(ctx.reader.owned(md, 'MachineSet'), (sets) =>
    chain(
      all([ctx.reader.owned(md, 'Machine'), ...sets.map((s) => ctx.reader.owned(s, 'Machine'))]),
      (lists) => {
        const byUid = new Map<string, MachineView>();
        for (const list of lists) for (const m of list) byUid.set(m.uid, m);
        return [...byUid.values()].sort((a, b) => (a.address.name < b.address.name ? -1 : 1));
      },
    ),
  );
}

export interface MachineFilter {
  phase?: MachinePhase | null;
  version?: string | null;
  controlPlane?: boolean | null;
  nameContains?: string | null;
}

export function filterMachines(
  machines: readonly MachineView[],
  filter: MachineFilter | null | undefined,
): readonly MachineView[] {
  if (!filter) return machines;
  return machines.filter(
    (m) =>
      (!filter.phase || machinePhaseOf(m.phase) === filter.phase) &&
      (!filter.version || m.version === filter.version) &&
      (filter.controlPlane == null || m.controlPlane === filter.controlPlane) &&
      (!filter.nameContains || m.address.name.includes(filter.nameContains)),
  );
}

export function machinesOfHealthCheck(
  ctx: GatewayContext,
  mhc: MachineHealthCheckView,
): MaybePromise<MachineView[]> {
  if (!mhc.clusterName) return [];
  const address = { ...mhc.address, group: 'cluster.x-k8s.io', kind: 'Cluster', name: mhc.clusterName };
  return chain(ctx.reader.get(address), (c) => {
    if (c?.viewKind !== 'Cluster') return [];
    return chain(ctx.reader.ofCluster(c, 'Machine'), (machines) =>
      machines.filter((m) => Object.entries(mhc.selector).every(([k, v]) => m.labels[k] === v)),
    );
  });
}

/** The Cluster an object belongs to (the walk lives in src/capi/cluster-of.ts, shared with the cache events). */
export function clusterOf(ctx: GatewayContext, view: CapiView): MaybePromise<ClusterView | null> {
  return clusterOfView(ctx.reader, view);
}

/** The controlling owner; for infra / bootstrap objects without one, the Machine (or MachinePool) that references them. */
export function ownerOf(ctx: GatewayContext, view: CapiView): MaybePromise<CapiView | null> {
  return ownerOfView(ctx.reader, view);
}

export function clusterClassOf(ctx: GatewayContext, c: ClusterView): MaybePromise<ClusterClassView | null> {
  if (!c.topology) return null;
  return ctx.reader.clusterClass(
    c.address.managementCluster,
    c.topology.classRef.namespace,
    c.topology.classRef.name,
  );
}
