import { fleetSummaryUpdates } from '../../resolvers/cluster-streams.ts';
import type { FleetSummary } from '../../resolvers/clusters.ts';
import { builder } from '../builder.ts';
import { reportUnavailable } from '../unavailable.ts';
import { FleetSummaryRef } from './fleet-summary.ts';
import { ClusterFilterInput } from './inputs.ts';

builder.subscriptionFields((t) => ({
  fleetSummaryUpdated: t.field({
    type: FleetSummaryRef,
    description: 'The fleet summary now, then whenever the counts you selected change (coalesced).',
    args: { filter: t.arg({ type: ClusterFilterInput }) },
    subscribe: (_root, args, ctx) => fleetSummaryUpdates(ctx, args.filter),
    resolve: (value, _args, ctx, info) => reportUnavailable(value as unknown as FleetSummary, ctx, info),
  }),
}));
