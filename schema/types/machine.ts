import { clusterOf, machinesOfHealthCheck, ownerOf, refAsRole } from '../../resolvers/objects.ts';
import type { AddressView } from '../../src/capi/views.ts';
import { builder } from '../builder.ts';
import { CapiObjectRef } from '../refs.ts';
import {
  BootstrapConfigRef,
  ClusterRef,
  InfrastructureMachineRef,
  MachineHealthCheckRef,
  MachineRef,
} from '../refs.ts';
import { nodeId } from './object-kinds.ts';
import { MachinePhaseEnum } from './phases.ts';

export const AddressRef = builder.objectRef<AddressView>('MachineAddress').implement({
  fields: (t) => ({ type: t.exposeString('type'), address: t.exposeString('address') }),
});

builder.node(MachineRef, {
  interfaces: [CapiObjectRef],
  id: nodeId,
  fields: (t) => ({
    phase: t.expose('phase', { type: MachinePhaseEnum, nullable: true }),
    version: t.exposeString('version', { nullable: true }),
    providerID: t.exposeString('providerID', { nullable: true }),
    nodeName: t.exposeString('nodeName', { nullable: true }),
    addresses: t.expose('addresses', { type: [AddressRef] }),
    failureDomain: t.exposeString('failureDomain', { nullable: true }),
    bootstrapReady: t.exposeBoolean('bootstrapReady'),
    infrastructureReady: t.exposeBoolean('infrastructureReady'),
    controlPlane: t.exposeBoolean('controlPlane', {
      description: 'Carries the cluster.x-k8s.io/control-plane label.',
    }),
    infrastructureMachine: t.field({
      type: InfrastructureMachineRef,
      nullable: true,
      resolve: (m, _args, ctx) => refAsRole(ctx, m, m.infrastructureRef, 'InfrastructureMachine'),
    }),
    bootstrapConfig: t.field({
      type: BootstrapConfigRef,
      nullable: true,
      resolve: (m, _args, ctx) => refAsRole(ctx, m, m.bootstrapConfigRef, 'BootstrapConfig'),
    }),
    owner: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      description: 'The MachineSet, MachinePool or control plane that owns it.',
      resolve: (m, _args, ctx) => ownerOf(ctx, m),
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (m, _args, ctx) => clusterOf(ctx, m) }),
  }),
});

builder.node(MachineHealthCheckRef, {
  interfaces: [CapiObjectRef],
  id: nodeId,
  fields: (t) => ({
    targets: t.exposeStringList('targets'),
    currentHealthy: t.exposeInt('currentHealthy', {
      nullable: true,
      description: 'How many of the machines it checks are healthy (status.currentHealthy).',
    }),
    expectedMachines: t.exposeInt('expectedMachines', {
      nullable: true,
      description: 'How many machines it checks (status.expectedMachines).',
    }),
    remediationsAllowed: t.exposeInt('remediationsAllowed', {
      nullable: true,
      description: 'How many more unhealthy machines it may remediate now (status.remediationsAllowed).',
    }),
    machines: t.field({ type: [MachineRef], resolve: (v, _args, ctx) => machinesOfHealthCheck(ctx, v) }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (v, _args, ctx) => clusterOf(ctx, v) }),
  }),
});
