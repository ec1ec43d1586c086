import {
  capiVersionOf,
  clusterCountOf,
  managementCluster,
  managementClusters,
  providersOf,
  providersUnavailableReason,
} from '../../resolvers/management-clusters.ts';
import { encodeManagementClusterId } from '../../resolvers/global-id.ts';
import type { ClusterctlProviderView } from '../../src/capi/views.ts';
import { builder } from '../builder.ts';
import { ManagementClusterRef } from '../refs.ts';

const ProviderRef = builder.objectRef<ClusterctlProviderView>('Provider').implement({
  description: 'A provider installed on a management cluster (a clusterctl Provider object).',
  fields: (t) => ({
    name: t.exposeString('providerName'),
    type: t.exposeString('type'),
    version: t.exposeString('version', { nullable: true }),
    namespace: t.exposeString('namespace'),
  }),
});

/** A management cluster missing from a fleet-wide answer (connection `errors`, fleetSummary). */
export const ManagementClusterProblemRef = builder
  .objectRef<{ managementCluster: string; message: string }>('ManagementClusterProblem')
  .implement({
    description: 'A management cluster whose part of the answer is missing, and why.',
    fields: (t) => ({
      managementCluster: t.exposeString('managementCluster'),
      message: t.exposeString('message'),
    }),
  });

ManagementClusterRef.implement({
  description: 'A Cluster API management cluster the gateway reads from.',
  fields: (t) => ({
    id: t.id({ resolve: (mc) => encodeManagementClusterId(mc.name) }),
    name: t.exposeString('name'),
    server: t.exposeString('server'),
    reachable: t.exposeBoolean('reachable'),
    synced: t.exposeBoolean('synced'),
    lastSyncTime: t.field({ type: 'DateTime', nullable: true, resolve: (mc) => mc.lastSyncTime }),
    error: t.exposeString('error', { nullable: true }),
    capiVersion: t.string({
      nullable: true,
      description:
        "The core provider's version from clusterctl's Provider objects; null when there are none.",
      resolve: (mc, _args, ctx) => capiVersionOf(ctx, mc),
    }),
    providers: t.field({
      type: [ProviderRef],
      nullable: true,
      resolve: (mc, _args, ctx) => providersOf(ctx, mc),
    }),
    providersUnavailableReason: t.string({
      nullable: true,
      description: 'Why `providers` and `capiVersion` are null.',
      resolve: (mc, _args, ctx) => providersUnavailableReason(ctx, mc),
    }),
    clusterCount: t.int({
      nullable: true,
      description: 'How many workload clusters it holds; null while the management cluster cannot be read.',
      resolve: (mc, _args, ctx) => clusterCountOf(ctx, mc),
    }),
  }),
});

builder.queryFields((t) => ({
  managementClusters: t.field({
    type: [ManagementClusterRef],
    resolve: (_root, _args, ctx) => managementClusters(ctx),
  }),
  managementCluster: t.field({
    type: ManagementClusterRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => managementCluster(ctx, args.name),
  }),
}));
