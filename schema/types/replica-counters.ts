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

/** The five replica counters as Int fields, for any type whose counters `countersOf` gives. */
export function replicaCounterFields<Parent>(
  t: Pick<PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>, 'int'>,
  countersOf: (parent: Parent) => ReplicaCounters,
) {
  const counter = (name: keyof ReplicaCounters) =>
    t.int({ nullable: true, description: descriptions[name], resolve: (p) => countersOf(p)[name] });
  return {
    desired: counter('desired'),
    replicas: counter('replicas'),
    ready: counter('ready'),
    available: counter('available'),
    upToDate: counter('upToDate'),
  };
}
