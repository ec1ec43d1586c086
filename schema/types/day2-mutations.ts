/**
 * Day-2 changes: scale, upgrade (and its plan), forced rollouts, deleting a machine, adding
 * and removing worker pools. Each takes global IDs as queries return them and answers the
 * operation that follows the change with the changed object, or a typed error — in which
 * case nothing was changed.
 */
import type {
  CapiView,
  ClusterView,
  ControlPlaneView,
  MachineDeploymentView,
  MachinePoolView,
  MachineView,
} from '../../src/capi/views.ts';
import type { OperationRecord } from '../../src/provisioning/operations/operation-record.ts';
import type { UpgradePlan } from '../../src/provisioning/plan-upgrade.ts';
import { deleteMachine } from '../../resolvers/delete-machine.ts';
import {
  ConflictError,
  ForbiddenError,
  ManagementClusterUnavailableError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../../resolvers/errors.ts';
import { rolloutControlPlane, rolloutMachineDeployment } from '../../resolvers/rollout.ts';
import { scaleControlPlane, scaleMachineDeployment, scaleMachinePool } from '../../resolvers/scale.ts';
import { UpgradeBlockedError } from '../../resolvers/upgrade-blocked-error.ts';
import { planUpgrade, upgradeCluster } from '../../resolvers/upgrade.ts';
import { addMachineDeployment, removeMachineDeployment } from '../../resolvers/worker-pools.ts';
import { builder } from '../builder.ts';
import {
  CapiObjectRef,
  ClusterRef,
  ControlPlaneRef,
  MachineDeploymentRef,
  MachinePoolRef,
  MachineRef,
} from '../refs.ts';
import { OperationRef } from './operation.ts';
import { UpgradePlanRef } from './upgrade-plan.ts';

/** The errors every day-2 change can answer (besides BaseError). */
const changeErrors = [
  ValidationError,
  NotFoundError,
  ConflictError,
  ForbiddenError,
  UnavailableError,
  ManagementClusterUnavailableError,
];

const operationField = {
  description: 'The operation that follows the change to its end state.',
};

const ScaleControlPlanePayload = builder
  .objectRef<{ operation: OperationRecord; object: ControlPlaneView }>('ScaleControlPlanePayload')
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      controlPlane: t.field({ type: ControlPlaneRef, resolve: (p) => p.object }),
    }),
  });

const ScaleMachineDeploymentPayload = builder
  .objectRef<{ operation: OperationRecord; object: MachineDeploymentView }>('ScaleMachineDeploymentPayload')
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      machineDeployment: t.field({ type: MachineDeploymentRef, resolve: (p) => p.object }),
    }),
  });

const ScaleMachinePoolPayload = builder
  .objectRef<{ operation: OperationRecord; object: MachinePoolView }>('ScaleMachinePoolPayload')
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      machinePool: t.field({ type: MachinePoolRef, resolve: (p) => p.object }),
    }),
  });

const UpgradeClusterPayload = builder
  .objectRef<{ operation: OperationRecord; cluster: ClusterView; plan: UpgradePlan }>('UpgradeClusterPayload')
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      cluster: t.field({ type: ClusterRef, resolve: (p) => p.cluster }),
      plan: t.field({
        type: UpgradePlanRef,
        description: 'The plan the operation follows: its steps are the operation’s steps.',
        resolve: (p) => p.plan,
      }),
    }),
  });

const RolloutControlPlanePayload = builder
  .objectRef<{ operation: OperationRecord; object: ControlPlaneView }>('RolloutControlPlanePayload')
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      controlPlane: t.field({ type: ControlPlaneRef, resolve: (p) => p.object }),
    }),
  });

const RolloutMachineDeploymentPayload = builder
  .objectRef<{ operation: OperationRecord; object: MachineDeploymentView }>('RolloutMachineDeploymentPayload')
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      machineDeployment: t.field({ type: MachineDeploymentRef, resolve: (p) => p.object }),
    }),
  });

const DeleteMachinePayload = builder
  .objectRef<{ operation: OperationRecord; machine: MachineView; owner: CapiView }>('DeleteMachinePayload')
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      machine: t.field({
        type: MachineRef,
        description: 'The machine as it was when deleted.',
        resolve: (p) => p.machine,
      }),
      owner: t.field({
        type: CapiObjectRef,
        description: 'What replaces it: its MachineSet, control plane or MachinePool.',
        resolve: (p) => p.owner,
      }),
    }),
  });

const AddMachineDeploymentPayload = builder
  .objectRef<{ operation: OperationRecord; cluster: ClusterView }>('AddMachineDeploymentPayload')
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      cluster: t.field({ type: ClusterRef, resolve: (p) => p.cluster }),
    }),
  });

const RemoveMachineDeploymentPayload = builder
  .objectRef<{ operation: OperationRecord; machineDeployment: MachineDeploymentView }>(
    'RemoveMachineDeploymentPayload',
  )
  .implement({
    fields: (t) => ({
      operation: t.field({ ...operationField, type: OperationRef, resolve: (p) => p.operation }),
      machineDeployment: t.field({
        type: MachineDeploymentRef,
        description: 'The MachineDeployment as it was when removed.',
        resolve: (p) => p.machineDeployment,
      }),
    }),
  });

builder.mutationFields((t) => ({
  scaleControlPlane: t.field({
    type: ScaleControlPlanePayload,
    description:
      'Scales a control plane: through spec.topology for ClusterClass clusters, else the scale subresource. ' +
      'A stacked-etcd KubeadmControlPlane needs an odd count ≥ 1; the gateway config caps the maximum.',
    args: {
      id: t.arg.id({ required: true }),
      replicas: t.arg.int({ required: true, description: 'The new size.' }),
    },
    errors: { types: changeErrors, directResult: true, union: { name: 'ScaleControlPlaneResult' } },
    resolve: (_root, args, ctx) => scaleControlPlane(ctx, String(args.id), args.replicas),
  }),
  scaleMachineDeployment: t.field({
    type: ScaleMachineDeploymentPayload,
    description: 'Scales a MachineDeployment (≥ 0): its topology entry, or the scale subresource.',
    args: {
      id: t.arg.id({ required: true }),
      replicas: t.arg.int({ required: true, description: 'The new size.' }),
    },
    errors: { types: changeErrors, directResult: true, union: { name: 'ScaleMachineDeploymentResult' } },
    resolve: (_root, args, ctx) => scaleMachineDeployment(ctx, String(args.id), args.replicas),
  }),
  scaleMachinePool: t.field({
    type: ScaleMachinePoolPayload,
    description: 'Scales a MachinePool (≥ 0): its topology entry, or the scale subresource.',
    args: {
      id: t.arg.id({ required: true }),
      replicas: t.arg.int({ required: true, description: 'The new size.' }),
    },
    errors: { types: changeErrors, directResult: true, union: { name: 'ScaleMachinePoolResult' } },
    resolve: (_root, args, ctx) => scaleMachinePool(ctx, String(args.id), args.replicas),
  }),
  upgradeCluster: t.field({
    type: UpgradeClusterPayload,
    description:
      'Upgrades a cluster to `version`. ClusterClass clusters: sets spec.topology.version and follows CAPI. ' +
      'Plain clusters: the control plane first, one minor at a time, then each worker pool. ' +
      'Refused (nothing changed) on a downgrade, an invalid version, while paused, deleting, rolling out or upgrading.',
    args: {
      id: t.arg.id({ required: true }),
      version: t.arg.string({ required: true, description: 'e.g. v1.33.2' }),
      intermediateVersions: t.arg.stringList({
        description: 'Plain clusters: the version to use for each minor passed through (default: its .0).',
      }),
    },
    errors: {
      types: [...changeErrors, UpgradeBlockedError],
      directResult: true,
      union: { name: 'UpgradeClusterResult' },
    },
    resolve: (_root, args, ctx) =>
      upgradeCluster(ctx, {
        id: String(args.id),
        version: args.version,
        intermediateVersions: args.intermediateVersions ?? null,
      }),
  }),
  rolloutControlPlane: t.field({
    type: RolloutControlPlanePayload,
    description: 'Replaces every control-plane machine (spec.rollout.after), one at a time.',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: changeErrors, directResult: true, union: { name: 'RolloutControlPlaneResult' } },
    resolve: (_root, args, ctx) => rolloutControlPlane(ctx, String(args.id)),
  }),
  rolloutMachineDeployment: t.field({
    type: RolloutMachineDeploymentPayload,
    description:
      'Replaces every machine of a MachineDeployment (spec.rollout.after), by its rollout strategy.',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: changeErrors, directResult: true, union: { name: 'RolloutMachineDeploymentResult' } },
    resolve: (_root, args, ctx) => rolloutMachineDeployment(ctx, String(args.id)),
  }),
  deleteMachine: t.field({
    type: DeleteMachinePayload,
    description:
      'Deletes a machine; its MachineSet, control plane or MachinePool replaces it. Refused for a machine ' +
      'nothing would replace and for the last control-plane machine.',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: changeErrors, directResult: true, union: { name: 'DeleteMachineResult' } },
    resolve: (_root, args, ctx) => deleteMachine(ctx, String(args.id)),
  }),
  addMachineDeployment: t.field({
    type: AddMachineDeploymentPayload,
    description:
      'Adds a worker pool. ClusterClass clusters: a spec.topology.workers.machineDeployments entry of `class`. ' +
      'Plain clusters: a copy of the MachineDeployment `from` (default: the cluster’s first), with its own template copies.',
    args: {
      clusterId: t.arg.id({ required: true }),
      name: t.arg.string({ required: true }),
      replicas: t.arg.int({ required: true }),
      class: t.arg.string({ description: 'ClusterClass clusters: the worker class.' }),
      from: t.arg.id({ description: 'Plain clusters: the MachineDeployment to copy.' }),
    },
    errors: { types: changeErrors, directResult: true, union: { name: 'AddMachineDeploymentResult' } },
    resolve: (_root, args, ctx) =>
      addMachineDeployment(ctx, {
        clusterId: String(args.clusterId),
        name: args.name,
        replicas: args.replicas,
        class: args.class ?? null,
        from: args.from == null ? null : String(args.from),
      }),
  }),
  removeMachineDeployment: t.field({
    type: RemoveMachineDeploymentPayload,
    description:
      'Removes a worker pool: its topology entry, or the MachineDeployment (and the template copies addMachineDeployment made).',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: changeErrors, directResult: true, union: { name: 'RemoveMachineDeploymentResult' } },
    resolve: (_root, args, ctx) => removeMachineDeployment(ctx, String(args.id)),
  }),
}));

builder.queryField('planUpgrade', (t) =>
  t.field({
    type: UpgradePlanRef,
    description:
      'What upgradeCluster would do: the ordered steps, the machines each replaces, the versions running now ' +
      'and what blocks it. Changes nothing.',
    args: {
      id: t.arg.id({ required: true, description: 'The Cluster.' }),
      version: t.arg.string({ required: true }),
      intermediateVersions: t.arg.stringList(),
    },
    errors: {
      types: [ValidationError, NotFoundError, UnavailableError, ManagementClusterUnavailableError],
      directResult: true,
      union: { name: 'PlanUpgradeResult' },
    },
    resolve: (_root, args, ctx) =>
      planUpgrade(ctx, {
        id: String(args.id),
        version: args.version,
        intermediateVersions: args.intermediateVersions ?? null,
      }),
  }),
);
