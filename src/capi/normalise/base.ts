import { groupOfApiVersion, type KubeObject } from '../../k8s/kube-object.ts';
import { labels as capiLabels } from '../kinds.ts';
import type { ObjectRef, ReplicaCounters, RolloutStrategyView, ViewBase } from '../views.ts';
import { conditionsOf } from './conditions.ts';
import { intern, internLabels } from './intern.ts';
import { objectId } from '../object-id.ts';
import { at, intOrString, num, str } from './json-path.ts';

/** Annotations that are large or only tooling noise; kept out of the cache. */
const droppedAnnotations = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export function isV1beta1(object: KubeObject): boolean {
  return object.apiVersion.endsWith('/v1beta1');
}

export function baseOf(
  object: KubeObject,
  managementCluster: string,
  refs: Array<ObjectRef | null>,
): ViewBase {
  const meta = object.metadata;
  const namespace = meta.namespace ?? '';
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta.annotations ?? {}))
    if (!droppedAnnotations.has(k)) annotations[k] = v;
  const labels = internLabels(meta.labels);
  const apiVersion = intern(object.apiVersion);
  const address = {
    managementCluster,
    group: intern(groupOfApiVersion(apiVersion)),
    kind: intern(object.kind),
    namespace: intern(namespace),
    name: meta.name,
  };
  return {
    address,
    name: address.name,
    namespace: address.namespace,
    kind: address.kind,
    id: objectId(address),
    uid: meta.uid,
    apiVersion,
    labels,
    annotations: Object.keys(annotations).length ? annotations : internLabels(undefined),
    createdAt: intern(meta.creationTimestamp ?? null),
    deletionTimestamp: meta.deletionTimestamp ?? null,
    owners: (meta.ownerReferences ?? []).map((o) => ({
      group: intern(groupOfApiVersion(o.apiVersion)),
      kind: intern(o.kind),
      name: o.name,
      uid: o.uid,
      controller: o.controller === true,
    })),
    conditions: conditionsOf(object, object.apiVersion),
    clusterName: intern(str(object, 'spec', 'clusterName') ?? labels[capiLabels.clusterName] ?? null),
    refs: refs.filter((r): r is ObjectRef => r !== null),
  };
}

/**
 * A view: the base fields, then the kind's own. Built by adding the kind's fields to the base
 * object, not by spreading both into a new literal: V8 gave most spread copies a hidden class of
 * their own (measured: ~700 bytes of map and descriptors per cached object, and every read of a
 * view property megamorphic). Properties added to the base literal follow one shared transition
 * path per kind.
 */
export function viewOf<V extends ViewBase>(base: ViewBase, own: Omit<V, keyof ViewBase>): V {
  return Object.assign(base, own) as V;
}

/**
 * Replica counters of MD / MS / MP / control planes. v1beta2 has the four counters in
 * `status`; v1beta1 objects of CAPI ≥ 1.9 carry the v1beta2 meaning under `status.v1beta2`
 * and the old `updatedReplicas`; older ones only the latter.
 */
export function replicaCountersOf(object: KubeObject): ReplicaCounters {
  const desired = num(object, 'spec', 'replicas');
  const replicas = num(object, 'status', 'replicas');
  if (!isV1beta1(object)) {
    return {
      desired,
      replicas,
      ready: num(object, 'status', 'readyReplicas'),
      available: num(object, 'status', 'availableReplicas'),
      upToDate: num(object, 'status', 'upToDateReplicas'),
    };
  }
  const v2 = (field: string): number | null => num(object, 'status', 'v1beta2', field);
  return {
    desired,
    replicas,
    ready: v2('readyReplicas') ?? num(object, 'status', 'readyReplicas'),
    available: v2('availableReplicas') ?? num(object, 'status', 'availableReplicas'),
    upToDate: v2('upToDateReplicas') ?? num(object, 'status', 'updatedReplicas'),
  };
}

/** A rollout strategy object `{type, rollingUpdate: {maxSurge, maxUnavailable}}`. */
export function strategyOf(value: unknown): RolloutStrategyView | null {
  if (value === undefined || value === null) return null;
  return {
    type: str(value, 'type'),
    maxSurge: intOrString(value, 'rollingUpdate', 'maxSurge'),
    maxUnavailable: intOrString(value, 'rollingUpdate', 'maxUnavailable'),
  };
}

export function endpointOf(value: unknown): { host: string; port: number } | null {
  const host = str(value, 'host');
  const port = num(value, 'port');
  return host ? { host, port: port ?? 0 } : null;
}

export { at };
