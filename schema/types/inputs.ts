import { builder } from '../builder.ts';
import { ClusterPhaseEnum, MachinePhaseEnum } from './phases.ts';

export const MachineFilterInput = builder.inputType('MachineFilter', {
  fields: (t) => ({
    phase: t.field({ type: MachinePhaseEnum }),
    version: t.string(),
    controlPlane: t.boolean(),
    nameContains: t.string(),
  }),
});

export const ClusterFilterInput = builder.inputType('ClusterFilter', {
  fields: (t) => ({
    managementCluster: t.string(),
    namespace: t.string(),
    phase: t.field({ type: ClusterPhaseEnum }),
    kubernetesVersion: t.string({ description: "The topology's version, else the control plane's." }),
    infrastructureKind: t.string({ description: 'Kind of the InfrastructureCluster, e.g. DockerCluster.' }),
    labelSelector: t.string({ description: 'Kubernetes label selector syntax: `a=b,c!=d,e in (x,y),!f`.' }),
    nameContains: t.string(),
  }),
});
