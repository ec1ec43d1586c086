import type { GroupKind } from '../k8s/kube-object.ts';

export const CAPI_GROUP = 'cluster.x-k8s.io';
export const CONTROL_PLANE_GROUP = 'controlplane.cluster.x-k8s.io';
export const CLUSTERCTL_GROUP = 'clusterctl.cluster.x-k8s.io';

/** The kinds every management cluster cache watches from the start. */
export const coreKinds = {
  Cluster: { group: CAPI_GROUP, kind: 'Cluster' },
  ClusterClass: { group: CAPI_GROUP, kind: 'ClusterClass' },
  MachineDeployment: { group: CAPI_GROUP, kind: 'MachineDeployment' },
  MachineSet: { group: CAPI_GROUP, kind: 'MachineSet' },
  MachinePool: { group: CAPI_GROUP, kind: 'MachinePool' },
  Machine: { group: CAPI_GROUP, kind: 'Machine' },
  MachineHealthCheck: { group: CAPI_GROUP, kind: 'MachineHealthCheck' },
  ClusterctlProvider: { group: CLUSTERCTL_GROUP, kind: 'Provider' },
} as const satisfies Record<string, GroupKind>;

export type CoreKindName = keyof typeof coreKinds;

export const kubeadmControlPlane: GroupKind = { group: CONTROL_PLANE_GROUP, kind: 'KubeadmControlPlane' };

export const labels = {
  clusterName: 'cluster.x-k8s.io/cluster-name',
  controlPlane: 'cluster.x-k8s.io/control-plane',
  controlPlaneName: 'cluster.x-k8s.io/control-plane-name',
  deploymentName: 'cluster.x-k8s.io/deployment-name',
  setName: 'cluster.x-k8s.io/set-name',
  poolName: 'cluster.x-k8s.io/pool-name',
} as const;

export const pausedAnnotation = 'cluster.x-k8s.io/paused';
