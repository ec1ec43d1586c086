import { clusterOf, machinesOfDeployment, owned, ownerAs, refAsRole } from '../../resolvers/objects.ts';
import { builder } from '../builder.ts';
import {
  CapiObjectRef,
  BootstrapConfigRef,
  ClusterRef,
  InfrastructureMachinePoolRef,
  MachineDeploymentRef,
  MachinePoolRef,
  MachineRef,
  MachineSetRef,
  ProviderTemplateRef,
} from '../refs.ts';
import { RolloutStrategyRef } from './control-plane.ts';
import { nodeId } from './object-kinds.ts';
import { MachineDeploymentPhaseEnum, MachinePoolPhaseEnum } from './phases.ts';
import { replicaCounterFields } from './replica-counters.ts';

builder.node(MachineDeploymentRef, {
  interfaces: [CapiObjectRef],
  id: nodeId,
  fields: (t) => ({
    ...replicaCounterFields(t),
    phase: t.expose('phase', { type: MachineDeploymentPhaseEnum, nullable: true }),
    version: t.exposeString('version', { nullable: true }),
    strategy: t.field({ type: RolloutStrategyRef, nullable: true, resolve: (v) => v.strategy }),
    machineSets: t.field({ type: [MachineSetRef], resolve: (v, _args, ctx) => owned(ctx, v, 'MachineSet') }),
    machines: t.field({ type: [MachineRef], resolve: (v, _args, ctx) => machinesOfDeployment(ctx, v) }),
    infrastructureTemplate: t.field({
      type: ProviderTemplateRef,
      nullable: true,
      resolve: (v, _args, ctx) => refAsRole(ctx, v, v.infrastructureTemplateRef, 'Template'),
    }),
    bootstrapTemplate: t.field({
      type: ProviderTemplateRef,
      nullable: true,
      resolve: (v, _args, ctx) => refAsRole(ctx, v, v.bootstrapTemplateRef, 'Template'),
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (v, _args, ctx) => clusterOf(ctx, v) }),
  }),
});

builder.node(MachineSetRef, {
  interfaces: [CapiObjectRef],
  id: nodeId,
  fields: (t) => ({
    ...replicaCounterFields(t),
    version: t.exposeString('version', { nullable: true }),
    machines: t.field({ type: [MachineRef], resolve: (v, _args, ctx) => owned(ctx, v, 'Machine') }),
    machineDeployment: t.field({
      type: MachineDeploymentRef,
      nullable: true,
      resolve: (v, _args, ctx) => ownerAs(ctx, v, 'MachineDeployment'),
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (v, _args, ctx) => clusterOf(ctx, v) }),
  }),
});

builder.node(MachinePoolRef, {
  interfaces: [CapiObjectRef],
  id: nodeId,
  fields: (t) => ({
    ...replicaCounterFields(t),
    phase: t.expose('phase', { type: MachinePoolPhaseEnum, nullable: true }),
    version: t.exposeString('version', { nullable: true }),
    machines: t.field({ type: [MachineRef], resolve: (v, _args, ctx) => owned(ctx, v, 'Machine') }),
    infrastructureMachinePool: t.field({
      type: InfrastructureMachinePoolRef,
      nullable: true,
      resolve: (v, _args, ctx) => refAsRole(ctx, v, v.infrastructureRef, 'InfrastructureMachinePool'),
    }),
    bootstrapConfig: t.field({
      type: BootstrapConfigRef,
      nullable: true,
      resolve: (v, _args, ctx) => refAsRole(ctx, v, v.bootstrapConfigRef, 'BootstrapConfig'),
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (v, _args, ctx) => clusterOf(ctx, v) }),
  }),
});
