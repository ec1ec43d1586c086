import { encodeGlobalId } from '../../resolvers/global-id.ts';
import { UpgradeBlockedError } from '../../resolvers/upgrade-blocked-error.ts';
import type { CapiView, ObjectAddress } from '../../src/capi/views.ts';
import type { UpgradePlan, UpgradeStep } from '../../src/provisioning/plan-upgrade.ts';
import type { UpgradeBlocker } from '../../src/provisioning/upgrade-blockers.ts';
import type { GatewayContext } from '../../resolvers/context.ts';
import { builder } from '../builder.ts';
import { ClusterRef, MachineRef } from '../refs.ts';
import { ErrorInterface } from './errors.ts';

/** The object at an address as the caches have it now (null once gone). */
async function viewAt(ctx: GatewayContext, address: ObjectAddress | null): Promise<CapiView | null> {
  if (!address || ctx.reader.availability(address.managementCluster)) return null;
  return ctx.reader.get(address);
}

export const UpgradeBlockerCodeEnum = builder.enumType('UpgradeBlockerCode', {
  values: {
    DELETING: { description: 'The cluster, or an object the upgrade changes, is being deleted.' },
    PAUSED: { description: 'The cluster or one of its objects is paused.' },
    ROLLOUT_IN_PROGRESS: { description: 'Machines are still being created, replaced or removed.' },
    UPGRADE_IN_PROGRESS: { description: 'A previous version change has not reached every machine.' },
    CONDITION_FAILING: { description: 'A health condition (Available, EtcdClusterHealthy, …) is False.' },
    VERSION_NOT_ALLOWED: {
      description: "The ClusterClass's kubernetesVersions (or CAPI's minor rule) refuse the version.",
    },
    NOT_PROVISIONED: { description: 'The control plane does not exist or is not initialized yet.' },
  } as const,
});

export const UpgradeBlockerRef = builder.objectRef<UpgradeBlocker>('UpgradeBlocker').implement({
  description: 'One reason the upgrade cannot start now.',
  fields: (t) => ({
    code: t.field({ type: UpgradeBlockerCodeEnum, resolve: (b) => b.code }),
    message: t.exposeString('message'),
    objectId: t.id({
      nullable: true,
      description: 'The object it is read from.',
      resolve: (b) => (b.object ? encodeGlobalId(b.object) : null),
    }),
    object: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      resolve: (b, _args, ctx) => viewAt(ctx, b.object) as never,
    }),
  }),
});

export const UpgradeStepKindEnum = builder.enumType('UpgradeStepKind', {
  values: ['ControlPlane', 'MachineDeployment', 'MachinePool'] as const,
});

const UpgradePlanStepRef = builder.objectRef<UpgradeStep>('UpgradePlanStep').implement({
  description: 'One step of an upgrade, in order: each control-plane minor, then each worker pool.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The Operation step of the same name follows it.' }),
    kind: t.field({ type: UpgradeStepKindEnum, resolve: (s) => s.kind }),
    targetId: t.id({ resolve: (s) => encodeGlobalId(s.target) }),
    target: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      resolve: (s, _args, ctx) => viewAt(ctx, s.target) as never,
    }),
    fromVersion: t.exposeString('fromVersion', { nullable: true }),
    toVersion: t.exposeString('toVersion'),
    machineCount: t.exposeInt('machineCount', {
      description:
        'How many machines it replaces (a later control-plane step replaces the ones an earlier one created).',
    }),
    machines: t.field({
      type: [MachineRef],
      description: 'The machines existing now that it replaces.',
      resolve: async (s, _args, ctx) => {
        const views = await Promise.all(s.machines.map((m) => viewAt(ctx, m)));
        return views.filter(
          (v): v is Extract<CapiView, { viewKind: 'Machine' }> => v?.viewKind === 'Machine',
        );
      },
    }),
  }),
});

export const UpgradePlanRef = builder.objectRef<UpgradePlan>('UpgradePlan').implement({
  description:
    'What an upgrade to `targetVersion` would do, computed from the management cluster’s state; planning changes nothing.',
  fields: (t) => ({
    cluster: t.field({
      type: ClusterRef,
      nullable: true,
      resolve: async (p, _args, ctx) => {
        const view = await viewAt(ctx, p.cluster);
        return view?.viewKind === 'Cluster' ? view : null;
      },
    }),
    topology: t.exposeBoolean('topology', {
      description: 'True: CAPI’s topology controller orchestrates once spec.topology.version is set.',
    }),
    targetVersion: t.exposeString('targetVersion'),
    currentControlPlaneVersion: t.exposeString('currentControlPlaneVersion', { nullable: true }),
    currentWorkerVersions: t.exposeStringList('currentWorkerVersions'),
    steps: t.field({ type: [UpgradePlanStepRef], resolve: (p) => p.steps }),
    blockers: t.field({ type: [UpgradeBlockerRef], resolve: (p) => p.blockers }),
    canStart: t.boolean({ resolve: (p) => p.blockers.length === 0 && p.steps.length > 0 }),
  }),
});

builder.objectType(UpgradeBlockedError, {
  name: 'UpgradeBlockedError',
  description:
    'The cluster’s state stops the upgrade; nothing was changed. `blockers` says what to fix or wait for.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ blockers: t.field({ type: [UpgradeBlockerRef], resolve: (e) => [...e.blockers] }) }),
});
