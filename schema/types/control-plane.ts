import { typeNameOf } from '../type-names.ts';
import { clusterOf, owned, refAsRole } from '../../resolvers/objects.ts';
import type { RolloutStrategyView } from '../../src/capi/views.ts';
import { builder } from '../builder.ts';
import {
  CapiObjectRef,
  ClusterRef,
  ControlPlaneRef,
  GenericControlPlaneRef,
  KubeadmControlPlaneRef,
  MachineRef,
  ProviderTemplateRef,
} from '../refs.ts';
import { nodeId } from './object-kinds.ts';
import { replicaCounterFields } from './replica-counters.ts';

export const RolloutStrategyRef = builder.objectRef<RolloutStrategyView>('RolloutStrategy').implement({
  fields: (t) => ({
    type: t.exposeString('type', { nullable: true }),
    maxSurge: t.exposeString('maxSurge', { nullable: true }),
    maxUnavailable: t.exposeString('maxUnavailable', { nullable: true }),
  }),
});

ControlPlaneRef.implement({
  resolveType: typeNameOf,
  description: 'A control plane of any provider, read through the control-plane contract.',
  interfaces: [CapiObjectRef],
  fields: (t) => ({
    ...replicaCounterFields(t),
    version: t.exposeString('version', {
      nullable: true,
      description: 'The desired version (spec.version).',
    }),
    currentVersion: t.exposeString('statusVersion', {
      nullable: true,
      description: 'The lowest version among its machines (status.version).',
    }),
    initialized: t.exposeBoolean('initialized'),
    rolloutStrategy: t.field({
      type: RolloutStrategyRef,
      nullable: true,
      resolve: (cp) => cp.rolloutStrategy,
    }),
    machines: t.field({ type: [MachineRef], resolve: (cp, _args, ctx) => owned(ctx, cp, 'Machine') }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (cp, _args, ctx) => clusterOf(ctx, cp) }),
    infrastructureTemplate: t.field({
      type: ProviderTemplateRef,
      nullable: true,
      resolve: (cp, _args, ctx) => refAsRole(ctx, cp, cp.infrastructureTemplateRef, 'Template'),
    }),
  }),
});

builder.node(KubeadmControlPlaneRef, {
  interfaces: [CapiObjectRef, ControlPlaneRef],
  id: nodeId,
  description: 'A KubeadmControlPlane (controlplane.cluster.x-k8s.io).',
  fields: () => ({}),
});

builder.node(GenericControlPlaneRef, {
  interfaces: [CapiObjectRef, ControlPlaneRef],
  id: nodeId,
  description: 'A control plane of a provider the gateway has no dedicated type for.',
  fields: () => ({}),
});
