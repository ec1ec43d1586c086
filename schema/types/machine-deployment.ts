import { clusterOf, machinesOfDeployment, owned, resolveRef } from '../../resolvers/objects.ts';
import { chain } from '../../resolvers/maybe-promise.ts';
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
import { isProviderRole, nodeId, viewKindIs } from './object-kinds.ts';
import { MachineDeploymentPhaseEnum, MachinePoolPhaseEnum } from './phases.ts';
import { replicaCounterFields } from './replica-counters.ts';
import { machineDeploymentPhaseOf, machinePoolPhaseOf } from '../../resolvers/phases.ts';

builder.node(MachineDeploymentRef, {
  interfaces: [CapiObjectRef],
  isTypeOf: viewKindIs('MachineDeployment'),
  id: nodeId,
  fields: (t) => ({
    ...replicaCounterFields(t, (v) => v.replicas),
    phase: t.field({
      type: MachineDeploymentPhaseEnum,
      nullable: true,
      resolve: (v) => machineDeploymentPhaseOf(v.phase),
    }),
    version: t.exposeString('version', { nullable: true }),
    strategy: t.field({ type: RolloutStrategyRef, nullable: true, resolve: (v) => v.strategy }),
    machineSets: t.field({ type: [MachineSetRef], resolve: (v, _args, ctx) => owned(ctx, v, 'MachineSet') }),
    machines: t.field({ type: [MachineRef], resolve: (v, _args, ctx) => machinesOfDeployment(ctx, v) }),
    infrastructureTemplate: t.field({
      type: ProviderTemplateRef,
      nullable: true,
      resolve: (v, _args, ctx) =>
        chain(resolveRef(ctx, v, v.infrastructureTemplateRef), (x) =>
          x && isProviderRole(x, 'Template') ? x : null,
        ),
    }),
    bootstrapTemplate: t.field({
      type: ProviderTemplateRef,
      nullable: true,
      resolve: (v, _args, ctx) =>
        chain(resolveRef(ctx, v, v.bootstrapTemplateRef), (x) =>
          x && isProviderRole(x, 'Template') ? x : null,
        ),
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (v, _args, ctx) => clusterOf(ctx, v) }),
  }),
});

builder.node(MachineSetRef, {
  interfaces: [CapiObjectRef],
  isTypeOf: viewKindIs('MachineSet'),
  id: nodeId,
  fields: (t) => ({
    ...replicaCounterFields(t, (v) => v.replicas),
    version: t.exposeString('version', { nullable: true }),
    machines: t.field({ type: [MachineRef], resolve: (v, _args, ctx) => owned(ctx, v, 'Machine') }),
    machineDeployment: t.field({
      type: MachineDeploymentRef,
      nullable: true,
      resolve: (v, _args, ctx) =>
        chain(ctx.reader.owner(v), (o) => (o?.viewKind === 'MachineDeployment' ? o : null)),
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (v, _args, ctx) => clusterOf(ctx, v) }),
  }),
});

builder.node(MachinePoolRef, {
  interfaces: [CapiObjectRef],
  isTypeOf: viewKindIs('MachinePool'),
  id: nodeId,
  fields: (t) => ({
    ...replicaCounterFields(t, (v) => v.replicas),
    phase: t.field({
      type: MachinePoolPhaseEnum,
      nullable: true,
      resolve: (v) => machinePoolPhaseOf(v.phase),
    }),
    version: t.exposeString('version', { nullable: true }),
    machines: t.field({ type: [MachineRef], resolve: (v, _args, ctx) => owned(ctx, v, 'Machine') }),
    infrastructureMachinePool: t.field({
      type: InfrastructureMachinePoolRef,
      nullable: true,
      resolve: (v, _args, ctx) =>
        chain(resolveRef(ctx, v, v.infrastructureRef), (x) =>
          x && isProviderRole(x, 'InfrastructureMachinePool') ? x : null,
        ),
    }),
    bootstrapConfig: t.field({
      type: BootstrapConfigRef,
      nullable: true,
      resolve: (v, _args, ctx) =>
        chain(resolveRef(ctx, v, v.bootstrapConfigRef), (x) =>
          x && isProviderRole(x, 'BootstrapConfig') ? x : null,
        ),
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (v, _args, ctx) => clusterOf(ctx, v) }),
  }),
});
