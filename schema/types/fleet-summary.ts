import { fleetSummary, type FleetSummary } from '../../resolvers/clusters.ts';
import { builder } from '../builder.ts';
import { reportUnavailable } from '../unavailable.ts';
import { ClusterFilterInput } from './inputs.ts';
import { ManagementClusterProblemRef } from './management-cluster.ts';

const CountRef = builder.objectRef<{ key: string; count: number }>('Count').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    count: t.exposeInt('count', { description: 'How many clusters have this key.' }),
  }),
});

export const FleetSummaryRef = builder.objectRef<FleetSummary>('FleetSummary').implement({
  fields: (t) => ({
    clusters: t.exposeInt('clusters', { description: 'How many clusters match the filter.' }),
    byPhase: t.field({ type: [CountRef], resolve: (s) => s.byPhase }),
    byKubernetesVersion: t.field({ type: [CountRef], resolve: (s) => s.byKubernetesVersion }),
    byInfrastructureKind: t.field({ type: [CountRef], resolve: (s) => s.byInfrastructureKind }),
    byManagementCluster: t.field({ type: [CountRef], resolve: (s) => s.byManagementCluster }),
    errors: t.field({ type: [ManagementClusterProblemRef], resolve: (s) => s.unavailable }),
  }),
});

builder.queryFields((t) => ({
  fleetSummary: t.field({
    type: FleetSummaryRef,
    args: { filter: t.arg({ type: ClusterFilterInput }) },
    resolve: (_root, args, ctx, info) => reportUnavailable(fleetSummary(ctx, args.filter), ctx, info),
  }),
}));
