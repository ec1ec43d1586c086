import { builder } from '../builder.ts';
import { encodeManagementClusterId } from '../../resolvers/global-id.ts';
import { chain } from '../../resolvers/maybe-promise.ts';
import type { ClusterctlProviderView } from '../../src/capi/views.ts';
import { ManagementClusterRef } from '../refs.ts';

const ProviderRef = builder.objectRef<ClusterctlProviderView>('Provider').implement({
  description: 'A provider installed on a management cluster (a clusterctl Provider object).',
  fields: (t) => ({
    name: t.exposeString('providerName'),
    type: t.exposeString('type'),
    version: t.exposeString('version', { nullable: true }),
    namespace: t.string({ resolve: (p) => p.address.namespace }),
  }),
});

const coreProviderName = 'cluster-api';

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
      resolve: (mc, _args, ctx) =>
        chain(ctx.reader.providers(mc.name), (r) =>
          r.ok
            ? (r.providers.find((p) => p.providerName === coreProviderName || p.type === 'CoreProvider')
                ?.version ?? null)
            : null,
        ),
    }),
    providers: t.field({
      type: [ProviderRef],
      nullable: true,
      resolve: (mc, _args, ctx) => chain(ctx.reader.providers(mc.name), (r) => (r.ok ? r.providers : null)),
    }),
    providersUnavailableReason: t.string({
      nullable: true,
      description: 'Why `providers` and `capiVersion` are null.',
      resolve: (mc, _args, ctx) => chain(ctx.reader.providers(mc.name), (r) => (r.ok ? null : r.reason)),
    }),
    clusterCount: t.int({
      nullable: true,
      description: 'Null while the management cluster cannot be read.',
      resolve: (mc, _args, ctx) =>
        chain(ctx.reader.clusters(mc.name), (r) => (r.unavailable.length > 0 ? null : r.items.length)),
    }),
  }),
});
