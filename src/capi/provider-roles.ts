import type { GroupKind } from '../k8s/kube-object.ts';
import { CAPI_GROUP, CLUSTERCTL_GROUP } from './kinds.ts';
import type { KindRole } from './management-cluster-cache.ts';

/**
 * The role of a kind from its group and name alone, for readers that meet an object without
 * the field that references it (the API reader, `node(id)`): provider kinds follow CAPI's
 * naming (`<Provider>Cluster`, `<Provider>Machine`, `<Provider>MachinePool`, `...Template`).
 */
export function roleByName(gk: GroupKind): KindRole {
  if (gk.group === CAPI_GROUP || gk.group === CLUSTERCTL_GROUP) return 'Core';
  if (gk.kind.endsWith('Template')) return 'Template';
  if (gk.group.startsWith('controlplane.')) return 'ControlPlane';
  if (gk.group.startsWith('bootstrap.')) return 'BootstrapConfig';
  if (gk.kind.endsWith('MachinePool')) return 'InfrastructureMachinePool';
  if (gk.kind.endsWith('Cluster')) return 'InfrastructureCluster';
  return 'InfrastructureMachine';
}
