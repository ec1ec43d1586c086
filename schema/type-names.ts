import { isKubeadmControlPlane } from '../resolvers/object-kinds.ts';
import type { CapiView, ProviderRole } from '../src/capi/views.ts';

const providerTypes: Record<ProviderRole, string> = {
  InfrastructureCluster: 'GenericInfrastructureCluster',
  InfrastructureMachine: 'GenericInfrastructureMachine',
  InfrastructureMachinePool: 'GenericInfrastructureMachinePool',
  BootstrapConfig: 'GenericBootstrapConfig',
  Template: 'ProviderTemplate',
};

/**
 * The GraphQL object type of a view, in one lookup: interfaces resolve through this instead
 * of asking every implementation's isTypeOf (that scan shows up over 30k objects).
 */
export function typeNameOf(value: unknown): string {
  const view = value as CapiView;
  // Operations are the one node type that is not a view of a Cluster API object.
  if (view.viewKind === undefined) return 'Operation';
  switch (view.viewKind) {
    case 'ControlPlane':
      return isKubeadmControlPlane(view) ? 'KubeadmControlPlane' : 'GenericControlPlane';
    case 'ProviderObject':
      return providerTypes[view.role];
    case 'ClusterctlProvider':
      return 'Provider';
    default:
      return view.viewKind;
  }
}
