import { clusterOrderFields, type ClusterOrderField } from '../../resolvers/cluster-order.ts';
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

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  values: {
    ASC: { description: 'Smallest first (A→Z, oldest first, lowest version first).' },
    DESC: { description: 'Largest first.' },
  } as const,
});

const orderFieldDescriptions: Record<ClusterOrderField, string> = {
  NAME: 'The cluster name.',
  NAMESPACE: 'The namespace.',
  MANAGEMENT_CLUSTER: 'The management cluster name.',
  PHASE: 'The phase, in lifecycle order (Pending, Provisioning, Provisioned, Deleting, Failed, Unknown).',
  KUBERNETES_VERSION: 'The Kubernetes version as a semantic version (v1.9 before v1.10).',
  INFRASTRUCTURE_KIND: 'The kind of the InfrastructureCluster.',
  CREATED: 'The creation time (ASC: oldest first).',
};

export const ClusterOrderFieldEnum = builder.enumType('ClusterOrderField', {
  values: Object.fromEntries(
    clusterOrderFields.map((f) => [f, { description: orderFieldDescriptions[f] }]),
  ) as Record<ClusterOrderField, { description: string }>,
});

export const ClusterOrderInput = builder.inputType('ClusterOrder', {
  description:
    'How `clusters` sorts the clusters matching its filter, on the server, before paging. Ties (and ' +
    'clusters of equal value) are ordered by management cluster, namespace and name, always ascending; ' +
    'a cluster without the value (no phase, no version yet) comes last in ASC, first in DESC.',
  fields: (t) => ({
    field: t.field({ type: ClusterOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true, defaultValue: 'ASC' }),
  }),
});
