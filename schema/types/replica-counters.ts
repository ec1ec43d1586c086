import type { ReplicaCounters } from '../../src/capi/views.ts';
import type { builder } from '../builder.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** What each counter means, the same on every kind that has them (../shared/capi/SEMANTICS.md). */
const descriptions: Record<keyof ReplicaCounters, string> = {
  desired:
    'How many replicas are wanted (spec.replicas; a Cluster summary reports its desiredReplicas). Null when nothing sets it (e.g. an autoscaler will).',
  replicas:
    'How many replicas exist right now (status.replicas), in whatever state — while scaling up this is below `desired`.',
  ready: 'How many replicas have their Ready condition True (status.readyReplicas).',
  available:
    'How many replicas are Available: ready, and for at least minReadySeconds (status.availableReplicas).',
  upToDate:
    'How many replicas already match the desired spec — version and templates (status.upToDateReplicas); below `replicas` while a rollout is under way.',
};

/**
 * The five replica counters as Int fields of a type whose parent carries them as own properties
 * (the views, a Cluster's summaries): exposed, with no resolver, so graphql-jit reads them inline.
 */
export function replicaCounterFields<Parent extends ReplicaCounters>(
  t: Pick<PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>, 'exposeInt'>,
) {
  // `Parent extends ReplicaCounters` guarantees the key; Pothos cannot check one of a generic parent.
  const counter = (name: keyof ReplicaCounters) =>
    t.exposeInt(name as never, { nullable: true, description: descriptions[name] });
  return {
    desired: counter('desired'),
    replicas: counter('replicas'),
    ready: counter('ready'),
    available: counter('available'),
    upToDate: counter('upToDate'),
  };
}
