import {
  assertCursor,
  clusterEvents,
  clusterUpdates,
  type ClusterEvent,
  type Streamed,
} from '../../resolvers/cluster-streams.ts';
import type { ClusterView } from '../../src/capi/views.ts';
import { builder } from '../builder.ts';
import { ClusterRef } from '../refs.ts';
import { ClusterFilterInput } from './inputs.ts';

function valueOrError<T>(s: Streamed<T>): T {
  if (!s.ok) throw s.error;
  return s.value;
}

const ClusterEventTypeEnum = builder.enumType('ClusterEventType', {
  values: {
    ADDED: { description: 'The cluster exists (or now matches the filter).' },
    MODIFIED: { description: 'Something in the cluster’s tree changed.' },
    DELETED: { description: 'The cluster is gone (or no longer matches the filter).' },
    RESYNC: {
      description: 'The gateway no longer holds the history after `since`: the current set follows as ADDED.',
    },
  } as const,
});

const ClusterEventRef = builder.objectRef<ClusterEvent>('ClusterEvent').implement({
  fields: (t) => ({
    type: t.field({ type: ClusterEventTypeEnum, resolve: (e) => e.type }),
    cluster: t.field({
      type: ClusterRef,
      nullable: true,
      description: 'The cluster now (as last seen for DELETED); null for RESYNC.',
      resolve: (e) => e.cluster,
    }),
    cursor: t.exposeString('cursor', {
      description:
        'Pass as `since` to resume after this event (on this gateway, while it holds the history).',
    }),
  }),
});

builder.subscriptionFields((t) => ({
  clusterUpdated: t.field({
    type: ClusterRef,
    nullable: true,
    description:
      'The Cluster now, then whenever a field you selected changes anywhere in its tree (coalesced per cluster). ' +
      'An unavailable management cluster is an error on this field; the stream goes on.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => clusterUpdates(ctx, String(args.id)),
    resolve: (value) => valueOrError(value as unknown as Streamed<ClusterView>),
  }),
  clusterEvents: t.field({
    type: ClusterEventRef,
    description:
      'ADDED / MODIFIED / DELETED for the clusters matching `filter` (as `clusters`): the current set first, ' +
      'or only what changed after `since`, or RESYNC then the current set.',
    args: { filter: t.arg({ type: ClusterFilterInput }), since: t.arg.string() },
    subscribe: (_root, args, ctx) => {
      assertCursor(args.since);
      return clusterEvents(ctx, args.filter, args.since);
    },
    resolve: (value) => valueOrError(value as unknown as Streamed<ClusterEvent>),
  }),
}));
