import { typeNameOf } from '../type-names.ts';
import { clusterOf, ownerAs, ownerOf } from '../../resolvers/objects.ts';
import { builder } from '../builder.ts';
import {
  CapiObjectRef,
  BootstrapConfigRef,
  ClusterRef,
  GenericBootstrapConfigRef,
  GenericInfrastructureClusterRef,
  GenericInfrastructureMachinePoolRef,
  GenericInfrastructureMachineRef,
  InfrastructureClusterRef,
  InfrastructureMachinePoolRef,
  InfrastructureMachineRef,
  MachinePoolRef,
  MachineRef,
  ProviderObjectRef,
  ProviderTemplateRef,
} from '../refs.ts';
import { EndpointRef } from './cluster.ts';
import { AddressRef } from './machine.ts';
import { nodeId } from './object-kinds.ts';

ProviderObjectRef.implement({
  resolveType: typeNameOf,
  description:
    'An infrastructure or bootstrap provider object of any kind: contract fields, and `raw` (as every CapiObject) for the rest.',
  interfaces: [CapiObjectRef],
  fields: (t) => ({
    contract: t.exposeString('contract', {
      nullable: true,
      description: 'The CAPI contract its CRD declares (label cluster.x-k8s.io/<contract>), if any.',
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (v, _args, ctx) => clusterOf(ctx, v) }),
    owner: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      resolve: (v, _args, ctx) => ownerOf(ctx, v),
    }),
  }),
});

InfrastructureClusterRef.implement({
  resolveType: typeNameOf,
  interfaces: [CapiObjectRef, ProviderObjectRef],
  fields: (t) => ({
    provisioned: t.exposeBoolean('provisioned'),
    controlPlaneEndpoint: t.field({
      type: EndpointRef,
      nullable: true,
      resolve: (v) => v.controlPlaneEndpoint,
    }),
  }),
});

InfrastructureMachineRef.implement({
  resolveType: typeNameOf,
  interfaces: [CapiObjectRef, ProviderObjectRef],
  fields: (t) => ({
    provisioned: t.exposeBoolean('provisioned'),
    providerID: t.exposeString('providerID', { nullable: true }),
    addresses: t.expose('addresses', { type: [AddressRef] }),
    failureDomain: t.exposeString('failureDomain', { nullable: true }),
    machine: t.field({
      type: MachineRef,
      nullable: true,
      resolve: (v, _args, ctx) => ownerAs(ctx, v, 'Machine'),
    }),
  }),
});

InfrastructureMachinePoolRef.implement({
  resolveType: typeNameOf,
  interfaces: [CapiObjectRef, ProviderObjectRef],
  fields: (t) => ({
    provisioned: t.exposeBoolean('provisioned'),
    machinePool: t.field({
      type: MachinePoolRef,
      nullable: true,
      resolve: (v, _args, ctx) => ownerAs(ctx, v, 'MachinePool'),
    }),
  }),
});

BootstrapConfigRef.implement({
  resolveType: typeNameOf,
  interfaces: [CapiObjectRef, ProviderObjectRef],
  fields: (t) => ({
    dataSecretCreated: t.exposeBoolean('dataSecretCreated'),
    dataSecretName: t.exposeString('dataSecretName', {
      nullable: true,
      description: 'The name of the bootstrap data Secret (never its content).',
    }),
    machine: t.field({
      type: MachineRef,
      nullable: true,
      resolve: (v, _args, ctx) => ownerAs(ctx, v, 'Machine'),
    }),
  }),
});

builder.node(GenericInfrastructureClusterRef, {
  interfaces: [CapiObjectRef, ProviderObjectRef, InfrastructureClusterRef],
  id: nodeId,
  fields: () => ({}),
});
builder.node(GenericInfrastructureMachineRef, {
  interfaces: [CapiObjectRef, ProviderObjectRef, InfrastructureMachineRef],
  id: nodeId,
  fields: () => ({}),
});
builder.node(GenericInfrastructureMachinePoolRef, {
  interfaces: [CapiObjectRef, ProviderObjectRef, InfrastructureMachinePoolRef],
  id: nodeId,
  fields: () => ({}),
});
builder.node(GenericBootstrapConfigRef, {
  interfaces: [CapiObjectRef, ProviderObjectRef, BootstrapConfigRef],
  id: nodeId,
  fields: () => ({}),
});
builder.node(ProviderTemplateRef, {
  interfaces: [CapiObjectRef, ProviderObjectRef],
  id: nodeId,
  description: 'An infrastructure, bootstrap or control-plane template.',
  fields: () => ({}),
});
