import type { ClusterView } from '../capi/views.ts';
import { clearClusterPaused, setClusterPaused } from './cluster-writes.ts';
import {
  done,
  waiting,
  type OperationType,
  type StepContext,
  type StepOutcome,
} from './operations/operation-type.ts';

function clusterOf(ctx: StepContext): ClusterView | null {
  const view = ctx.cache.get(ctx.operation.target!);
  return view?.viewKind === 'Cluster' ? view : null;
}

const gone: StepOutcome = { state: 'failed', message: 'the Cluster was deleted' };

/** CAPI's controllers report that they stopped (or resumed) through the Cluster's Paused condition. */
function pausedCondition(cluster: ClusterView): boolean | null {
  const condition = cluster.conditions.find((c) => c.type === 'Paused');
  return condition ? condition.status === 'True' : null;
}

export const pauseClusterOperation: OperationType = {
  name: 'PauseCluster',
  steps: () => [
    {
      name: 'paused set',
      act: async (ctx) => {
        const written = await setClusterPaused(ctx.cache, ctx.operation.target!, ctx.writer);
        return written.ok ? { ok: true, value: {} } : written;
      },
      check: (ctx) => {
        const cluster = clusterOf(ctx);
        if (!cluster) return gone;
        return cluster.paused ? done() : waiting('waiting for the Cluster to show spec.paused');
      },
    },
    {
      name: 'controllers paused',
      check: (ctx) => {
        const cluster = clusterOf(ctx);
        if (!cluster) return gone;
        const paused = pausedCondition(cluster);
        if (paused === null) return done('the management cluster reports no Paused condition');
        return paused ? done() : waiting('waiting for the Paused condition to be True');
      },
    },
  ],
};

export const resumeClusterOperation: OperationType = {
  name: 'ResumeCluster',
  steps: () => [
    {
      name: 'paused cleared',
      act: async (ctx) => {
        const written = await clearClusterPaused(ctx.cache, ctx.operation.target!, ctx.writer);
        return written.ok ? { ok: true, value: {} } : written;
      },
      check: (ctx) => {
        const cluster = clusterOf(ctx);
        if (!cluster) return gone;
        return cluster.paused
          ? waiting('waiting for the Cluster to show neither spec.paused nor the paused annotation')
          : done();
      },
    },
    {
      name: 'controllers resumed',
      check: (ctx) => {
        const cluster = clusterOf(ctx);
        if (!cluster) return gone;
        return pausedCondition(cluster) === true
          ? waiting('waiting for the Paused condition to be False')
          : done();
      },
    },
  ],
};
