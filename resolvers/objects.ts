import type { ClusterMemberKind, FleetReader, OwnedKind, ViewByKind } from '../src/capi/fleet-reader.ts';
import type {
  CapiView,
  ClusterClassView,
  ClusterView,
  ControlPlaneView,
  MachineDeploymentView,
  MachineHealthCheckView,
  MachineView,
  ObjectRef,
  ProviderObjectView,
  ProviderRole,
} from '../src/capi/views.ts';
import { clusterOf as clusterOfView, ownerOf as ownerOfView } from '../src/capi/cluster-of.ts';
import { RawReadError } from '../src/capi/raw-object-reader.ts';
import type { RawObject } from '../src/capi/views.ts';
import type { GatewayContext } from './context.ts';
import { toGraphQLError } from './domain-errors.ts';
import { ManagementClusterUnavailableError, NotFoundError, UnknownManagementClusterError } from './errors.ts';
import { decodeGlobalId } from './global-id.ts';
import { isOperationAddress, readOperation } from './operations.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import { machinePhaseOf, type MachinePhase } from './phases.ts';

export function cluster(
  ctx: GatewayContext,
  managementCluster: string,
  namespace: string,
  name: string,
): ClusterView {
  assertAvailable(ctx.reader, managementCluster);
  const address = { managementCluster, group: 'cluster.x-k8s.io', kind: 'Cluster', namespace, name };
  const view = ctx.reader.get(address);
  if (view?.viewKind !== 'Cluster')
    throw new NotFoundError(`Cluster ${namespace}/${name} on '${managementCluster}'`);
  return view;
}

export function assertAvailable(reader: FleetReader, managementCluster: string): void {
  if (!reader.managementCluster(managementCluster))
    throw new UnknownManagementClusterError(managementCluster);
  const reason = reader.availability(managementCluster);
  if (reason) throw new ManagementClusterUnavailableError(managementCluster, reason);
}

/** `node(id)`: null for an ID that names nothing; a typed error when its management cluster is down. */
export function node(ctx: GatewayContext, id: string): CapiView | OperationRecord | null {
  const address = decodeGlobalId(id);
  if (!address) return null;
  if (isOperationAddress(address)) return readOperation(ctx, address);
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
): Array<CapiView | OperationRecord | Error | null> {
  return ids.map((id) => {
    try {
      return node(ctx, id);
    } catch (err) {
      return asError(err);
    }
  });
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export function resolveRef(ctx: GatewayContext, from: CapiView, ref: ObjectRef | null): CapiView | null {
  return ref ? ctx.reader.resolveRef(from.address.managementCluster, ref) : null;
}

/**
 * The object `ref` points at, if it plays `role` (a Machine's infrastructureRef is an
 * InfrastructureMachine, a template ref a Template…); null when it is missing or something else.
 */
export function refAsRole(
  ctx: GatewayContext,
  from: CapiView,
  ref: ObjectRef | null,
  role: ProviderRole,
): ProviderObjectView | null {
  const view = resolveRef(ctx, from, ref);
  return view?.viewKind === 'ProviderObject' && view.role === role ? view : null;
}

/** The control plane `ref` points at, or null when it is missing or not a control plane. */
export function refAsControlPlane(
  ctx: GatewayContext,
  from: CapiView,
  ref: ObjectRef | null,
): ControlPlaneView | null {
  const view = resolveRef(ctx, from, ref);
  return view?.viewKind === 'ControlPlane' ? view : null;
}

export function ofCluster<K extends ClusterMemberKind>(
  ctx: GatewayContext,
  c: ClusterView,
  kind: K,
): readonly ViewByKind[K][] {
  return ctx.reader.ofCluster(c, kind);
}

export function owned<K extends OwnedKind>(
  ctx: GatewayContext,
  owner: CapiView,
  kind: K,
): readonly ViewByKind[K][] {
  return ctx.reader.owned(owner, kind);
}

/** A MachineDeployment's Machines: through its MachineSets, plus any labelled with its name. */
export function machinesOfDeployment(ctx: GatewayContext, md: MachineDeploymentView): MachineView[] {
  const sets = ctx.reader.owned(md, 'MachineSet');
  const lists = [ctx.reader.owned(md, 'Machine'), ...sets.map((s) => ctx.reader.owned(s, 'Machine'))];
  const byUid = new Map<string, MachineView>();
  for (const list of lists) for (const m of list) byUid.set(m.uid, m);
  return [...byUid.values()].sort((a, b) => (a.address.name < b.address.name ? -1 : 1));
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

export function machinesOfHealthCheck(ctx: GatewayContext, mhc: MachineHealthCheckView): MachineView[] {
  if (!mhc.clusterName) return [];
  const address = { ...mhc.address, group: 'cluster.x-k8s.io', kind: 'Cluster', name: mhc.clusterName };
  const c = ctx.reader.get(address);
  if (c?.viewKind !== 'Cluster') return [];
  return ctx.reader
    .ofCluster(c, 'Machine')
    .filter((m) => Object.entries(mhc.selector).every(([k, v]) => m.labels[k] === v));
}

/** The Cluster an object belongs to (the walk lives in src/capi/cluster-of.ts, shared with the cache events). */
export function clusterOf(ctx: GatewayContext, view: CapiView): ClusterView | null {
  return clusterOfView(ctx.reader, view);
}

/** The controlling owner; for infra / bootstrap objects without one, the Machine (or MachinePool) that references them. */
export function ownerOf(ctx: GatewayContext, view: CapiView): CapiView | null {
  return ownerOfView(ctx.reader, view);
}

export function clusterClassOf(ctx: GatewayContext, c: ClusterView): ClusterClassView | null {
  if (!c.topology) return null;
  return ctx.reader.clusterClass(
    c.address.managementCluster,
    c.topology.classRef.namespace,
    c.topology.classRef.name,
  );
}

/** The controlling owner, if it is of `viewKind` (a MachineSet's MachineDeployment…). */
export function ownerAs<K extends CapiView['viewKind']>(
  ctx: GatewayContext,
  view: CapiView,
  viewKind: K,
): Extract<CapiView, { viewKind: K }> | null {
  const owner = ownerOf(ctx, view);
  return owner?.viewKind === viewKind ? (owner as Extract<CapiView, { viewKind: K }>) : null;
}

/**
 * `raw`: the stored object, read on demand through the reader (batched per query round; with
 * authentication, only objects the caller may list). A failed read is a typed error on the field.
 */
export async function objectRaw(ctx: GatewayContext, view: CapiView): Promise<RawObject> {
  if (!ctx.reader.objectRaw) throw new Error('raw is not available here');
  try {
    return await ctx.reader.objectRaw(view);
  } catch (err) {
    const { kind, namespace, name } = view.address;
    throw err instanceof RawReadError ? toGraphQLError(err.domain, `${kind} ${namespace}/${name}`) : err;
  }
}
