import { upgradeClusters } from '../../resolvers/fleet-upgrade.ts';
import {
  ManagementClusterUnavailableError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../../resolvers/errors.ts';
import type { ClusterView } from '../../src/capi/views.ts';
import type { OperationRecord } from '../../src/provisioning/operations/operation-record.ts';
import { builder } from '../builder.ts';
import { ClusterRef } from '../refs.ts';
import { ClusterFilterInput } from './inputs.ts';
import { OperationRef } from './operation.ts';

const WaveFailurePolicyEnum = builder.enumType('WaveFailurePolicy', {
  values: {
    ABORT: { description: 'A failed wave fails the fleet upgrade: no further wave starts.' },
    CONTINUE: { description: 'The next wave starts anyway; the failure stays in the wave’s step.' },
  } as const,
});

const UpgradeStrategyInput = builder.inputType('UpgradeStrategy', {
  fields: (t) => ({
    canaries: t.idList({
      description: 'Clusters upgraded first, as a wave of their own (they must be selected by the filter).',
    }),
    maxConcurrency: t.int({ required: true, description: 'At most this many clusters per wave.' }),
    waveTimeoutSeconds: t.int({ defaultValue: 3600, description: 'A wave not finished by then has failed.' }),
    soakBetweenWavesSeconds: t.int({
      defaultValue: 0,
      description: 'The wait between a wave’s end and the next wave.',
    }),
    onWaveFailure: t.field({ type: WaveFailurePolicyEnum, defaultValue: 'ABORT' }),
  }),
});

const UpgradeWaveRef = builder.objectRef<ClusterView[]>('UpgradeWave').implement({
  description:
    'The clusters one wave upgrades (its step is `wave-<n>`; each cluster gets a child UpgradeCluster operation).',
  fields: (t) => ({ clusters: t.field({ type: [ClusterRef], resolve: (w) => w }) }),
});

const UpgradeClustersPayload = builder
  .objectRef<{ operation: OperationRecord; waves: ClusterView[][] }>('UpgradeClustersPayload')
  .implement({
    fields: (t) => ({
      operation: t.field({
        type: OperationRef,
        description:
          'The parent operation: one step per wave (and soak), the clusters’ upgrades as its children.',
        resolve: (p) => p.operation,
      }),
      waves: t.field({ type: [UpgradeWaveRef], resolve: (p) => p.waves }),
    }),
  });

builder.mutationField('upgradeClusters', (t) =>
  t.field({
    type: UpgradeClustersPayload,
    description:
      'Upgrades every selected cluster (across management clusters) to `version` in waves: canaries first, then ' +
      '`maxConcurrency` at a time. A wave succeeds when every cluster in it is upgraded and Available. ' +
      'cancelOperation on the parent stops it between waves.',
    args: {
      filter: t.arg({ type: ClusterFilterInput }),
      version: t.arg.string({ required: true }),
      strategy: t.arg({ type: UpgradeStrategyInput, required: true }),
    },
    errors: {
      types: [ValidationError, NotFoundError, UnavailableError, ManagementClusterUnavailableError],
      directResult: true,
      union: { name: 'UpgradeClustersResult' },
    },
    resolve: (_root, args, ctx, info) =>
      upgradeClusters(ctx, info, {
        filter: args.filter ?? null,
        version: args.version,
        strategy: {
          canaries: (args.strategy.canaries ?? []).map(String),
          maxConcurrency: args.strategy.maxConcurrency,
          waveTimeoutSeconds: args.strategy.waveTimeoutSeconds ?? 3600,
          soakBetweenWavesSeconds: args.strategy.soakBetweenWavesSeconds ?? 0,
          onWaveFailure: args.strategy.onWaveFailure ?? 'ABORT',
        },
      }),
  }),
);
