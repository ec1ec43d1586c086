import type { ManagementClusterStatus } from '../src/capi/fleet-reader.ts';
import type {
  CapiView,
  ClusterClassView,
  ClusterView,
  ConditionView,
  ControlPlaneView,
  MachineDeploymentView,
  MachineHealthCheckView,
  MachinePoolView,
  MachineSetView,
  MachineView,
  ProviderObjectView,
} from '../src/capi/views.ts';
import { builder } from './builder.ts';

/** Every type's reference, declared once so type files can point at each other. */
export const CapiObjectRef = builder.interfaceRef<CapiView>('CapiObject');
export const ManagementClusterRef = builder.objectRef<ManagementClusterStatus>('ManagementCluster');
export const ConditionRef = builder.objectRef<ConditionView>('Condition');
export const ClusterRef = builder.objectRef<ClusterView>('Cluster');
export const ClusterClassRef = builder.objectRef<ClusterClassView>('ClusterClass');
export const ControlPlaneRef = builder.interfaceRef<ControlPlaneView>('ControlPlane');
export const KubeadmControlPlaneRef = builder.objectRef<ControlPlaneView>('KubeadmControlPlane');
export const GenericControlPlaneRef = builder.objectRef<ControlPlaneView>('GenericControlPlane');
export const MachineDeploymentRef = builder.objectRef<MachineDeploymentView>('MachineDeployment');
export const MachineSetRef = builder.objectRef<MachineSetView>('MachineSet');
export const MachinePoolRef = builder.objectRef<MachinePoolView>('MachinePool');
export const MachineRef = builder.objectRef<MachineView>('Machine');
export const MachineHealthCheckRef = builder.objectRef<MachineHealthCheckView>('MachineHealthCheck');
export const ProviderObjectRef = builder.interfaceRef<ProviderObjectView>('ProviderObject');
export const InfrastructureClusterRef = builder.interfaceRef<ProviderObjectView>('InfrastructureCluster');
export const InfrastructureMachineRef = builder.interfaceRef<ProviderObjectView>('InfrastructureMachine');
export const InfrastructureMachinePoolRef =
  builder.interfaceRef<ProviderObjectView>('InfrastructureMachinePool');
export const BootstrapConfigRef = builder.interfaceRef<ProviderObjectView>('BootstrapConfig');
export const GenericInfrastructureClusterRef = builder.objectRef<ProviderObjectView>(
  'GenericInfrastructureCluster',
);
export const GenericInfrastructureMachineRef = builder.objectRef<ProviderObjectView>(
  'GenericInfrastructureMachine',
);
export const GenericInfrastructureMachinePoolRef = builder.objectRef<ProviderObjectView>(
  'GenericInfrastructureMachinePool',
);
export const GenericBootstrapConfigRef = builder.objectRef<ProviderObjectView>('GenericBootstrapConfig');
export const ProviderTemplateRef = builder.objectRef<ProviderObjectView>('ProviderTemplate');
