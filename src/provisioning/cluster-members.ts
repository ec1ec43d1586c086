import { coreKinds, labels } from '../capi/kinds.ts';
import { indexNames, type ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import type { CapiView, ObjectAddress } from '../capi/views.ts';
import type { GroupKind } from '../k8s/kube-object.ts';

/** The cached objects of a kind that belong to a Cluster (also once the Cluster itself is gone). */
export function membersOf(
  cache: ManagementClusterCache,
  gk: GroupKind,
  cluster: ObjectAddress,
): readonly CapiView[] {
  return cache.store(gk)?.byIndex(indexNames.cluster, `${cluster.namespace}/${cluster.name}`) ?? [];
}

export function isControlPlaneMachine(machine: CapiView): boolean {
  return machine.labels[labels.controlPlane] !== undefined;
}

/** What is left of a Cluster's workers: MachineDeployments, MachinePools and worker Machines. */
export function workersLeft(cache: ManagementClusterCache, cluster: ObjectAddress) {
  return {
    machineDeployments: membersOf(cache, coreKinds.MachineDeployment, cluster).length,
    machinePools: membersOf(cache, coreKinds.MachinePool, cluster).length,
    machines: membersOf(cache, coreKinds.Machine, cluster).filter((m) => !isControlPlaneMachine(m)).length,
  };
}

export function controlPlaneMachinesLeft(cache: ManagementClusterCache, cluster: ObjectAddress): number {
  return membersOf(cache, coreKinds.Machine, cluster).filter(isControlPlaneMachine).length;
}
