/** The kinds the engine always watches, at the versions CAPI v1.14 serves and stores. */
import type { ResourceType } from './kube-client.ts';

function capi(group: string, kind: string, plural: string): ResourceType {
  return { group, version: 'v1beta2', plural, kind, namespaced: true };
}

export const TYPES = {
  cluster: capi('cluster.x-k8s.io', 'Cluster', 'clusters'),
  clusterClass: capi('cluster.x-k8s.io', 'ClusterClass', 'clusterclasses'),
  machineDeployment: capi('cluster.x-k8s.io', 'MachineDeployment', 'machinedeployments'),
  machineSet: capi('cluster.x-k8s.io', 'MachineSet', 'machinesets'),
  machine: capi('cluster.x-k8s.io', 'Machine', 'machines'),
  machineHealthCheck: capi('cluster.x-k8s.io', 'MachineHealthCheck', 'machinehealthchecks'),
  kubeadmControlPlane: capi('controlplane.cluster.x-k8s.io', 'KubeadmControlPlane', 'kubeadmcontrolplanes'),
  kubeadmConfig: capi('bootstrap.cluster.x-k8s.io', 'KubeadmConfig', 'kubeadmconfigs'),
  customResourceDefinition: {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
  },
} as const satisfies Record<string, ResourceType>;

export const CORE_GROUP = 'cluster.x-k8s.io';
export const CONTROL_PLANE_GROUP = 'controlplane.cluster.x-k8s.io';
export const BOOTSTRAP_GROUP = 'bootstrap.cluster.x-k8s.io';
