/**
 * UpgradeClusters: a fleet upgrade in waves, across management clusters. The waves are fixed
 * when it is requested (canaries first, then the rest `maxConcurrency` at a time) and kept in
 * its input. Each wave's action starts one UpgradeCluster child per cluster (fixed child
 * names: a resumed driver answers the existing child instead of starting another); its check
 * waits until every child has ended and every cluster is Available. A failed child, a cluster
 * that cannot start (its plan is blocked), or a wave past `waveTimeout` fails the wave: with
 * onWaveFailure ABORT the operation fails there and no further wave starts; with CONTINUE the
 * next wave starts. Between waves a soak step waits `soakBetweenWaves`. A cancel request stops
 * it between steps, as any operation.
 */
import type { ClusterView, ObjectAddress } from '../capi/views.ts';
import type { Result } from '../k8s/domain-error.ts';
import { snapshotCluster } from './cluster-snapshot.ts';
import { addressFromInput } from './day2-step-context.ts';
import { isTerminal } from './operations/operation-record.ts';
import {
  done,
  failed,
  waiting,
  type OperationStep,
  type OperationType,
  type StepActed,
  type StepContext,
  type StepOutcome,
} from './operations/operation-type.ts';
import { planUpgrade } from './plan-upgrade.ts';
import { UPGRADE_CLUSTER, upgradeInput } from './upgrade-operation.ts';

export const UPGRADE_CLUSTERS = 'UpgradeClusters';

export type WaveFailurePolicy = 'ABORT' | 'CONTINUE';

export interface FleetUpgradeInput {
  version: string;
  waves: ObjectAddress[][];
  waveTimeoutSeconds: number;
  soakSeconds: number;
  onWaveFailure: WaveFailurePolicy;
  concurrency: number;
}

/** Canaries first (one wave), then the other clusters, sorted, in waves of at most `maxConcurrency`. */
export function fleetWaves(
  clusters: readonly ObjectAddress[],
  canaries: readonly ObjectAddress[],
  maxConcurrency: number,
): ObjectAddress[][] {
  const key = (a: ObjectAddress) => `${a.managementCluster}/${a.namespace}/${a.name}`;
  const canaryKeys = new Set(canaries.map(key));
  // A stable order (management cluster, namespace, name): the same selection makes the same waves.
  const rest = clusters
    .filter((c) => !canaryKeys.has(key(c)))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const waves: ObjectAddress[][] = canaries.length > 0 ? [[...canaries]] : [];
  for (let i = 0; i < rest.length; i += Math.max(1, maxConcurrency))
    waves.push(rest.slice(i, i + Math.max(1, maxConcurrency)));
  return waves;
}

function inputOf(ctx: Pick<StepContext, 'operation'>): FleetUpgradeInput {
  const input = ctx.operation.input as Partial<FleetUpgradeInput>;
  return {
    version: typeof input.version === 'string' ? input.version : '',
    waves: Array.isArray(input.waves)
      ? input.waves.map((w) => (Array.isArray(w) ? w.flatMap((a) => addressFromInput(a) ?? []) : []))
      : [],
    waveTimeoutSeconds: typeof input.waveTimeoutSeconds === 'number' ? input.waveTimeoutSeconds : 3600,
    soakSeconds: typeof input.soakSeconds === 'number' ? input.soakSeconds : 0,
    onWaveFailure: input.onWaveFailure === 'CONTINUE' ? 'CONTINUE' : 'ABORT',
    concurrency: typeof input.concurrency === 'number' ? input.concurrency : 1,
  };
}

/** The fixed name of a wave's child for one cluster (Operation names are DNS subdomains). */
function childName(ctx: StepContext, wave: number, index: number): string {
  return `${ctx.operation.address.name}-w${wave}-${index}`.slice(0, 253);
}

function childAddress(ctx: StepContext, cluster: ObjectAddress, wave: number, index: number): ObjectAddress {
  return {
    managementCluster: cluster.managementCluster,
    group: ctx.operation.address.group,
    kind: ctx.operation.address.kind,
    namespace: cluster.namespace,
    name: childName(ctx, wave, index),
  };
}

/** Why a cluster cannot start its upgrade (not found, blocked, invalid), or null. */
async function startChild(
  ctx: StepContext,
  input: FleetUpgradeInput,
  cluster: ObjectAddress,
  wave: number,
  index: number,
): Promise<Result<ObjectAddress | null>> {
  const view = ctx.reader.get(cluster);
  if (view?.viewKind !== 'Cluster') return { ok: true, value: null };
  const plan = planUpgrade(await snapshotCluster(ctx.reader, view as ClusterView), input.version);
  if (!plan.ok || plan.plan.blockers.length > 0 || plan.plan.steps.length === 0)
    return { ok: true, value: null };
  const started = await ctx.operations.startOperation({
    managementCluster: cluster.managementCluster,
    namespace: cluster.namespace,
    type: UPGRADE_CLUSTER,
    target: cluster,
    input: upgradeInput(plan.plan, view.uid, input.concurrency) as unknown as Record<string, unknown>,
    // The children write as the same user (and groups) as the fleet upgrade.
    requestedBy: ctx.operation.requestedBy,
    ...(ctx.operation.requestedGroups ? { requestedGroups: ctx.operation.requestedGroups } : {}),
    parent: ctx.operation.address,
    name: childName(ctx, wave, index),
  });
  return started.ok ? { ok: true, value: started.value.address } : started;
}

/**
 * For a cluster without a child: why it could not start (a problem), null when there was
 * nothing to do (already at the version), 'lagging' when it could start (the child is not in
 * the store's watch yet).
 */
async function notStartable(
  ctx: StepContext,
  input: FleetUpgradeInput,
  cluster: ObjectAddress,
): Promise<string | null | 'lagging'> {
  const view = ctx.reader.get(cluster);
  if (view?.viewKind !== 'Cluster') return 'the cluster no longer exists';
  const plan = planUpgrade(await snapshotCluster(ctx.reader, view as ClusterView), input.version);
  if (!plan.ok) return plan.error.message;
  if (plan.plan.blockers.length > 0) return `blocked: ${plan.plan.blockers.map((b) => b.message).join('; ')}`;
  return plan.plan.steps.length === 0 ? null : 'lagging';
}

function waveStep(wave: number): OperationStep {
  return {
    name: `wave-${wave + 1}`,
    async act(ctx): Promise<Result<StepActed>> {
      const input = inputOf(ctx);
      const children: ObjectAddress[] = [];
      const skipped: string[] = [];
      for (const [index, cluster] of (input.waves[wave] ?? []).entries()) {
        const child = await startChild(ctx, input, cluster, wave, index);
        if (!child.ok) return child;
        if (child.value) children.push(child.value);
        else skipped.push(cluster.name);
      }
      return {
        ok: true,
        value: {
          children,
          ...(skipped.length > 0 ? { message: `could not start: ${skipped.join(', ')}` } : {}),
        },
      };
    },
    async check(ctx): Promise<StepOutcome> {
      const input = inputOf(ctx);
      const clusters = input.waves[wave] ?? [];
      const problems: string[] = [];
      let finished = 0;
      for (const [index, cluster] of clusters.entries()) {
        const child = ctx.operations.get(childAddress(ctx, cluster, wave, index));
        if (!child) {
          const why = await notStartable(ctx, input, cluster);
          if (why === 'lagging') continue;
          finished += 1;
          if (why) problems.push(`${cluster.name}: ${why}`);
          continue;
        }
        if (!isTerminal(child)) continue;
        finished += 1;
        if (child.status.phase !== 'SUCCEEDED') {
          problems.push(`${cluster.name}: ${child.status.phase.toLowerCase()} (${child.status.error ?? ''})`);
          continue;
        }
        const view = ctx.reader.get(cluster);
        const available = view?.conditions.find((c) => c.type === 'Available');
        if (available?.status === 'False') {
          finished -= 1;
          continue;
        }
      }
      const startedAt = ctx.step.startedAt ? Date.parse(ctx.step.startedAt) : ctx.now().getTime();
      const timedOut = ctx.now().getTime() - startedAt > input.waveTimeoutSeconds * 1000;
      if (finished < clusters.length && !timedOut)
        return waiting(
          `${finished} of ${clusters.length} clusters upgraded${problems.length ? `; ${problems.join('; ')}` : ''}`,
          finished / Math.max(1, clusters.length),
        );
      if (timedOut && finished < clusters.length)
        problems.push(`the wave did not finish within ${input.waveTimeoutSeconds}s`);
      if (problems.length === 0)
        return done(`${clusters.length} clusters upgraded to ${input.version} and Available`);
      const summary = `wave ${wave + 1} failed: ${problems.join('; ')}`;
      return input.onWaveFailure === 'ABORT'
        ? failed(`${summary} — the next waves do not start`)
        : done(`${summary} — continuing`);
    },
  };
}

function soakStep(wave: number): OperationStep {
  return {
    name: `soak-after-wave-${wave + 1}`,
    check(ctx) {
      const { soakSeconds } = inputOf(ctx);
      const startedAt = ctx.step.startedAt ? Date.parse(ctx.step.startedAt) : ctx.now().getTime();
      const left = soakSeconds * 1000 - (ctx.now().getTime() - startedAt);
      return left <= 0 ? done() : waiting(`soaking: the next wave starts in ${Math.ceil(left / 1000)}s`);
    },
  };
}

export const fleetUpgradeOperation: OperationType = {
  name: UPGRADE_CLUSTERS,
  steps(operation) {
    const waves = inputOf({ operation }).waves;
    const soak = inputOf({ operation }).soakSeconds > 0;
    return waves.flatMap((_, i) => [waveStep(i), ...(soak && i < waves.length - 1 ? [soakStep(i)] : [])]);
  },
};
