/**
 * planUpgrade (changes nothing) and upgradeCluster: the plan from the caches, the request's
 * guardrails as ValidationError, the cluster's state as UpgradeBlockedError, another upgrade
 * (or a deletion) still running as ConflictError — and only then the UpgradeCluster
 * operation, whose steps are the plan.
 */
import type { ClusterView } from '../src/capi/views.ts';
import { snapshotCluster } from '../src/provisioning/cluster-snapshot.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import { planUpgrade as plan, type UpgradePlan } from '../src/provisioning/plan-upgrade.ts';
import { UPGRADE_CLUSTER, upgradeInput } from '../src/provisioning/upgrade-operation.ts';
import type { GatewayContext } from './context.ts';
import { ValidationError } from './errors.ts';
import { UpgradeBlockedError } from './upgrade-blocked-error.ts';
import { assertAllowed } from './caller-access.ts';
import { assertNoRunningOperation, limitsOf, startOperation, targetView } from './day2-target.ts';

export interface UpgradeArgs {
  id: string;
  version: string;
  intermediateVersions?: readonly string[] | null;
}

/** Operation types that change the whole cluster: an upgrade never runs beside them. */
const EXCLUSIVE_TYPES = [UPGRADE_CLUSTER, 'DeleteCluster'];

async function planFor(
  ctx: GatewayContext,
  args: UpgradeArgs,
): Promise<{ cluster: ClusterView; plan: UpgradePlan }> {
  const cluster = await targetView(ctx, args.id, 'Cluster');
  const snapshot = await snapshotCluster(ctx.reader, cluster);
  const result = plan(snapshot, args.version, { intermediateVersions: args.intermediateVersions ?? [] });
  if (!result.ok)
    throw new ValidationError(result.error.message, [
      { path: result.error.field, message: result.error.message },
    ]);
  return { cluster, plan: result.plan };
}

export async function planUpgrade(ctx: GatewayContext, args: UpgradeArgs): Promise<UpgradePlan> {
  return (await planFor(ctx, args)).plan;
}

export async function upgradeCluster(
  ctx: GatewayContext,
  args: UpgradeArgs,
): Promise<{ operation: OperationRecord; cluster: ClusterView; plan: UpgradePlan }> {
  const { cluster, plan } = await planFor(ctx, args);
  assertNoRunningOperation(ctx, cluster.address, EXCLUSIVE_TYPES);
  // The operation's driver writes later, as the caller: their RBAC is asked now for the change
  // the upgrade starts with (the Cluster's version or topology), so a refusal is immediate.
  await assertAllowed(ctx, 'patch', cluster.address);
  if (plan.blockers.length > 0) throw new UpgradeBlockedError(plan.blockers);
  if (plan.steps.length === 0)
    throw new ValidationError(`Cluster ${cluster.address.name} already runs ${plan.targetVersion}`, [
      { path: 'version', message: `the cluster already runs ${plan.targetVersion}` },
    ]);
  const operation = await startOperation(
    ctx,
    UPGRADE_CLUSTER,
    cluster,
    upgradeInput(plan, cluster.uid, limitsOf(ctx).workerUpgradeConcurrency) as unknown as Record<
      string,
      unknown
    >,
  );
  return { operation, cluster, plan };
}
