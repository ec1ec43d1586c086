/**
 * upgradeClusters: a fleet upgrade in waves (src/provisioning/fleet-upgrade-operation.ts).
 * Checked before anything is recorded: the version, the strategy's numbers, the canaries
 * (clusters of the selection), and every selected cluster's plan (a downgrade anywhere refuses
 * the whole request). A cluster whose state blocks its upgrade is not refused here: it fails
 * its wave, and the strategy's onWaveFailure decides what happens next.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { ClusterView, ObjectAddress } from '../src/capi/views.ts';
import { snapshotCluster } from '../src/provisioning/cluster-snapshot.ts';
import {
  fleetWaves,
  UPGRADE_CLUSTERS,
  type FleetUpgradeInput,
  type WaveFailurePolicy,
} from '../src/provisioning/fleet-upgrade-operation.ts';
import { parseKubernetesVersion } from '../src/provisioning/kubernetes-version.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import { planUpgrade } from '../src/provisioning/plan-upgrade.ts';
import { filteredClusters, type ClusterFilter } from './clusters.ts';
import type { GatewayContext } from './context.ts';
import { limitsOf, targetView } from './day2-target.ts';
import { UnavailableError, ValidationError, type FieldViolation } from './errors.ts';
import { recordOperation } from './record-operation.ts';
import { assertAllowed } from './caller-access.ts';

export interface UpgradeStrategyArgs {
  canaries?: readonly string[] | null;
  maxConcurrency: number;
  waveTimeoutSeconds: number;
  soakBetweenWavesSeconds: number;
  onWaveFailure: WaveFailurePolicy;
}

export interface UpgradeClustersArgs {
  filter?: ClusterFilter | null;
  version: string;
  strategy: UpgradeStrategyArgs;
}

const key = (a: ObjectAddress) => `${a.managementCluster}/${a.namespace}/${a.name}`;

function strategyViolations(strategy: UpgradeStrategyArgs): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (strategy.maxConcurrency < 1) v.push({ path: 'strategy.maxConcurrency', message: 'must be at least 1' });
  if (strategy.waveTimeoutSeconds < 1)
    v.push({ path: 'strategy.waveTimeoutSeconds', message: 'must be at least 1' });
  if (strategy.soakBetweenWavesSeconds < 0)
    v.push({ path: 'strategy.soakBetweenWavesSeconds', message: 'cannot be negative' });
  return v;
}

export async function upgradeClusters(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  args: UpgradeClustersArgs,
): Promise<{ operation: OperationRecord; waves: ClusterView[][] }> {
  const violations = strategyViolations(args.strategy);
  if (!parseKubernetesVersion(args.version))
    violations.push({ path: 'version', message: `'${args.version}' is not a semantic version like v1.31.2` });
  if (violations.length > 0)
    throw new ValidationError(violations.map((v) => `${v.path}: ${v.message}`).join('; '), violations);

  const selection = filteredClusters(ctx, args.filter);
  // A wave plan over part of the fleet would silently skip clusters: refuse until every
  // management cluster the filter reaches can answer.
  if (selection.unavailable.length > 0)
    throw new UnavailableError(
      `management clusters not available: ${selection.unavailable.map((u) => `${u.managementCluster} (${u.message})`).join(', ')}`,
    );
  const clusters = selection.items;
  if (clusters.length === 0)
    throw new ValidationError('the filter selects no cluster', [
      { path: 'filter', message: 'selects no cluster' },
    ]);
  const selected = new Map(clusters.map((c) => [key(c.address), c]));
  const canaries: ClusterView[] = [];
  for (const [i, id] of (args.strategy.canaries ?? []).entries()) {
    const path = `strategy.canaries.${i}`;
    const canary = await targetView(ctx, id, 'Cluster', path);
    if (!selected.has(key(canary.address)))
      throw new ValidationError(`${path}: Cluster ${canary.address.name} is not selected by the filter`, [
        { path, message: 'not one of the selected clusters' },
      ]);
    canaries.push(canary);
  }
  for (const cluster of clusters) {
    const plan = planUpgrade(await snapshotCluster(ctx.reader, cluster), args.version);
    if (!plan.ok)
      throw new ValidationError(`Cluster ${cluster.address.name}: ${plan.error.message}`, [
        {
          path: plan.error.field,
          message: `${cluster.address.managementCluster}/${cluster.address.name}: ${plan.error.message}`,
        },
      ]);
  }

  // Each cluster's upgrade is written later by the driver, as the caller: asked now for every
  // cluster, so a refusal is immediate rather than a failed wave.
  for (const cluster of clusters) await assertAllowed(ctx, 'patch', cluster.address);

  const waves = fleetWaves(
    clusters.map((c) => c.address),
    canaries.map((c) => c.address),
    args.strategy.maxConcurrency,
  );
  const home = waves[0]![0]!;
  const input: FleetUpgradeInput = {
    version: parseKubernetesVersion(args.version)!.text,
    waves,
    waveTimeoutSeconds: args.strategy.waveTimeoutSeconds,
    soakSeconds: args.strategy.soakBetweenWavesSeconds,
    onWaveFailure: args.strategy.onWaveFailure,
    concurrency: limitsOf(ctx).workerUpgradeConcurrency,
  };
  const operation = await recordOperation(ctx, {
    managementCluster: home.managementCluster,
    namespace: home.namespace,
    type: UPGRADE_CLUSTERS,
    target: null,
    input: input as unknown as Record<string, unknown>,
  });
  return { operation, waves: waves.map((w) => w.map((a) => selected.get(key(a))!)) };
}
