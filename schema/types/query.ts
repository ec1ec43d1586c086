import {
  clusterClasses,
  clustersConnection,
  fleetSummary,
  type ClusterPage,
} from '../../resolvers/clusters.ts';
import {
  ManagementClusterUnavailableError,
  NotFoundError,
  UnknownManagementClusterError,
} from '../../resolvers/errors.ts';
import { cluster, node, nodes } from '../../resolvers/objects.ts';
import type { FleetSummary } from '../../resolvers/clusters.ts';
import { builder } from '../builder.ts';
import { ClusterClassRef, ClusterRef, ManagementClusterRef } from '../refs.ts';
import { ClusterFilterInput } from './inputs.ts';

const UnavailableRef = builder
  .objectRef<{ managementCluster: string; message: string }>('ManagementClusterProblem')
  .implement({
    description: 'A management cluster whose part of the answer is missing, and why.',
    fields: (t) => ({
      managementCluster: t.exposeString('managementCluster'),
      message: t.exposeString('message'),
    }),
  });

const CountRef = builder.objectRef<{ key: string; count: number }>('Count').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    count: t.exposeInt('count', { description: 'How many clusters have this key.' }),
  }),
});

const FleetSummaryRef = builder.objectRef<FleetSummary>('FleetSummary').implement({
  fields: (t) => ({
    clusters: t.exposeInt('clusters', { description: 'How many clusters match the filter.' }),
    byPhase: t.field({ type: [CountRef], resolve: (s) => s.byPhase }),
    byKubernetesVersion: t.field({ type: [CountRef], resolve: (s) => s.byKubernetesVersion }),
    byInfrastructureKind: t.field({ type: [CountRef], resolve: (s) => s.byInfrastructureKind }),
    byManagementCluster: t.field({ type: [CountRef], resolve: (s) => s.byManagementCluster }),
    errors: t.field({ type: [UnavailableRef], resolve: (s) => s.errors }),
  }),
});

builder.queryType({
  fields: (t) => ({
    node: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx) => node(ctx, String(args.id)),
    }),
    nodes: t.field({
      type: [builder.nodeInterfaceRef()],
      nullable: { list: false, items: true },
      args: { ids: t.arg.idList({ required: true }) },
      // Items may be Errors: graphql-js reports them at their index (see resolvers/objects.ts).
      resolve: (_root, args, ctx) => nodes(ctx, args.ids.map(String)) as never,
    }),
    managementClusters: t.field({
      type: [ManagementClusterRef],
      resolve: (_root, _args, ctx) => ctx.reader.managementClusters(),
    }),
    managementCluster: t.field({
      type: ManagementClusterRef,
      nullable: true,
      args: { name: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => ctx.reader.managementCluster(args.name) ?? null,
    }),
    clusters: t.connection(
      {
        type: ClusterRef,
        args: { filter: t.arg({ type: ClusterFilterInput }) },
        resolve: (_root, args, ctx, info) => clustersConnection(ctx, info, args),
      },
      {
        name: 'ClusterConnection',
        fields: (tc) => ({
          totalCount: tc.int({
            description: 'How many clusters match the filter, on every page together.',
            resolve: (c) => (c as unknown as ClusterPage).totalCount,
          }),
          errors: tc.field({
            type: [UnavailableRef],
            description:
              'Management clusters that could not answer (their clusters are missing from this page).',
            resolve: (c) => (c as unknown as ClusterPage).errors,
          }),
        }),
      },
    ),
    cluster: t.field({
      type: ClusterRef,
      args: {
        managementCluster: t.arg.string({ required: true }),
        namespace: t.arg.string({ required: true }),
        name: t.arg.string({ required: true }),
      },
      errors: {
        types: [NotFoundError, ManagementClusterUnavailableError, UnknownManagementClusterError],
        directResult: true,
        union: { name: 'ClusterResult' },
      },
      resolve: (_root, args, ctx) => cluster(ctx, args.managementCluster, args.namespace, args.name),
    }),
    clusterClasses: t.field({
      type: [ClusterClassRef],
      description:
        'ClusterClasses of every (or one) management cluster; unreachable ones are reported in `errors`.',
      args: { managementCluster: t.arg.string(), namespace: t.arg.string() },
      resolve: (_root, args, ctx, info) => clusterClasses(ctx, info, args.managementCluster, args.namespace),
    }),
    fleetSummary: t.field({
      type: FleetSummaryRef,
      args: { filter: t.arg({ type: ClusterFilterInput }) },
      resolve: (_root, args, ctx, info) => fleetSummary(ctx, info, args.filter),
    }),
  }),
});
