/** The labels and annotations CAPI puts on the objects it manages (SEMANTICS.md). */
export const LABELS = {
  clusterName: 'cluster.x-k8s.io/cluster-name',
  controlPlane: 'cluster.x-k8s.io/control-plane',
  controlPlaneName: 'cluster.x-k8s.io/control-plane-name',
  deploymentName: 'cluster.x-k8s.io/deployment-name',
  setName: 'cluster.x-k8s.io/set-name',
  templateHash: 'machine-template-hash',
  topologyOwned: 'topology.cluster.x-k8s.io/owned',
  topologyDeploymentName: 'topology.cluster.x-k8s.io/deployment-name',
  mhcName: 'cluster.x-k8s.io/machine-health-check-name',
} as const;

export const ANNOTATIONS = {
  paused: 'cluster.x-k8s.io/paused',
  deleteMachine: 'cluster.x-k8s.io/delete-machine',
  revision: 'machinedeployment.clusters.x-k8s.io/revision',
  /** The engine's own: a simulated node condition to force (`NotReady`), for demos and tests. */
  simulateNode: 'embedded.capi-gateway.dev/simulate-node',
} as const;

export const FINALIZERS = {
  cluster: 'cluster.cluster.x-k8s.io',
  machine: 'machine.cluster.x-k8s.io',
  kcp: 'kubeadm.controlplane.cluster.x-k8s.io',
  md: 'cluster.x-k8s.io/machinedeployment',
  ms: 'cluster.x-k8s.io/machineset',
} as const;
