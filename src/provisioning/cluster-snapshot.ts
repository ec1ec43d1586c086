/**
 * One workload cluster as the caches see it at one moment, gathered once so that the
 * upgrade planner and the guardrails are pure functions of plain data (and unit-testable
 * without a reader).
 */
import type { FleetReader } from '../capi/fleet-reader.ts';
import type {
  ClusterClassView,
  ClusterView,
  ControlPlaneView,
  MachineDeploymentView,
  MachinePoolView,
  MachineView,
} from '../capi/views.ts';

export interface WorkerPoolSnapshot<V extends MachineDeploymentView | MachinePoolView> {
  view: V;
  machines: MachineView[];
}

export interface ClusterSnapshot {
  cluster: ClusterView;
  controlPlane: ControlPlaneView | null;
  controlPlaneMachines: MachineView[];
  machineDeployments: WorkerPoolSnapshot<MachineDeploymentView>[];
  machinePools: WorkerPoolSnapshot<MachinePoolView>[];
  /** The topology's ClusterClass, null for plain clusters (or when the class is missing). */
  clusterClass: ClusterClassView | null;
}

const byName = <T extends { address: { name: string } }>(a: T, b: T): number =>
  a.address.name.localeCompare(b.address.name);

async function machinesOfDeployment(reader: FleetReader, md: MachineDeploymentView): Promise<MachineView[]> {
  const sets = await reader.owned(md, 'MachineSet');
  const machines = await Promise.all(sets.map((ms) => reader.owned(ms, 'Machine')));
  return machines.flat().sort(byName);
}

/** Reads everything an upgrade or scale decision looks at, through the reader port. */
export async function snapshotCluster(reader: FleetReader, cluster: ClusterView): Promise<ClusterSnapshot> {
  const controlPlane = await reader.controlPlaneOf(cluster);
  const controlPlaneMachines = controlPlane ? [...(await reader.owned(controlPlane, 'Machine'))] : [];
  const deployments = [...(await reader.ofCluster(cluster, 'MachineDeployment'))].sort(byName);
  const pools = [...(await reader.ofCluster(cluster, 'MachinePool'))].sort(byName);
  const clusterClass = cluster.topology
    ? await reader.clusterClass(
        cluster.address.managementCluster,
        cluster.topology.classRef.namespace,
        cluster.topology.classRef.name,
      )
    : null;
  return {
    cluster,
    controlPlane,
    controlPlaneMachines: controlPlaneMachines.sort(byName),
    machineDeployments: await Promise.all(
      deployments.map(async (view) => ({ view, machines: await machinesOfDeployment(reader, view) })),
    ),
    machinePools: await Promise.all(
      pools.map(async (view) => ({
        view,
        machines: [...(await reader.owned(view, 'Machine'))].sort(byName),
      })),
    ),
    clusterClass,
  };
}
