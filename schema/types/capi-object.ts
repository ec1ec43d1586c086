import { managementClusterOf } from '../../resolvers/management-clusters.ts';
import { objectRaw } from '../../resolvers/objects.ts';
import { typeNameOf } from '../type-names.ts';
import { ConditionRef, CapiObjectRef, ManagementClusterRef } from '../refs.ts';

CapiObjectRef.implement({
  resolveType: typeNameOf,
  description: 'Fields every Cluster API object has, whatever its kind and API version.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The global ID (as for `node`).' }),
    name: t.exposeString('name'),
    namespace: t.exposeString('namespace'),
    kind: t.exposeString('kind'),
    apiGroup: t.string({ resolve: (v) => v.address.group }),
    apiVersion: t.exposeString('apiVersion'),
    uid: t.exposeString('uid'),
    managementCluster: t.field({
      type: ManagementClusterRef,
      resolve: (v, _args, ctx) => managementClusterOf(ctx, v),
    }),
    labels: t.expose('labels', { type: 'JSON' }),
    annotations: t.expose('annotations', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    deletionTimestamp: t.expose('deletionTimestamp', { type: 'DateTime', nullable: true }),
    conditions: t.expose('conditions', { type: [ConditionRef] }),
    raw: t.field({
      type: 'JSON',
      description:
        'The object as its management cluster stores it (apiVersion, kind, metadata without managedFields, ' +
        'spec, status), read from the API server when asked for — select it for the objects you show, ' +
        'not for a whole fleet. Only Cluster API objects: never a Secret.',
      // The caches keep only what the other fields read: read on demand, batched per query round.
      resolve: (v, _args, ctx) => v.raw ?? objectRaw(ctx, v),
    }),
  }),
});
