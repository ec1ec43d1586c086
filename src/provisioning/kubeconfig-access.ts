/**
 * ReadKubeconfig: the audit record of one read of a workload cluster's admin kubeconfig
 * (`Cluster.kubeconfig`). Nothing to drive: it is done as soon as it is recorded; its
 * `requestedBy` and creation time are the history.
 */
import type { ResourceTarget } from '../k8s/kube-transport.ts';
import { done, type OperationType } from './operations/operation-type.ts';

export const READ_KUBECONFIG = 'ReadKubeconfig';

export const secretsTarget: ResourceTarget = {
  group: '',
  version: 'v1',
  plural: 'secrets',
  namespaced: true,
};

/** CAPI's name for a cluster's admin kubeconfig Secret, and the key holding it. */
export const kubeconfigSecretName = (cluster: string): string => `${cluster}-kubeconfig`;
export const kubeconfigSecretKey = 'value';

export const readKubeconfigOperation: OperationType = {
  name: READ_KUBECONFIG,
  steps: () => [{ name: 'kubeconfig read', check: () => done() }],
};
