/**
 * `clusters(orderBy:)`: the filtered clusters sorted once per request by one field, ties broken
 * by management cluster, namespace and name (so the order is total and pages never overlap).
 * A cursor carries its order and the row's sort values, so it stays valid across pages of one
 * ordering while clusters come and go, and a cursor of another ordering is refused.
 */
import { SemVer } from 'semver';
import { clusterKubernetesVersion } from '../src/capi/cluster-index.ts';
import type { ClusterView } from '../src/capi/views.ts';
import type { GatewayContext } from './context.ts';
import { CursorOrderMismatchError, InvalidInputError } from './errors.ts';
import { cursorOf, cursorText, notOurCursor, type Ordering } from './pagination.ts';
import { clusterPhaseOf, clusterPhases } from './phases.ts';

export const clusterOrderFields = [
  'NAME',
  'NAMESPACE',
  'MANAGEMENT_CLUSTER',
  'PHASE',
  'KUBERNETES_VERSION',
  'INFRASTRUCTURE_KIND',
  'CREATED',
] as const;
export type ClusterOrderField = (typeof clusterOrderFields)[number];
export type OrderDirection = 'ASC' | 'DESC';

export interface ClusterOrder {
  field: ClusterOrderField;
  direction?: OrderDirection | null;
}

/** A cluster's place in an ordering: the sorted field's value, then the tie-breaker. */
export interface ClusterOrderKey {
  /** The field's value as the schema shows it (null: the cluster has none). */
  value: string | null;
  /** `value` prepared for comparison (a phase's rank, a parsed version). */
  sortable: unknown;
  /** `managementCluster \0 namespace \0 name`. */
  tie: string;
  managementCluster: string;
  namespace: string;
  name: string;
}

interface FieldOrder {
  value(ctx: GatewayContext, c: ClusterView): string | null;
  /** Defaults to the value itself. */
  prepare?(value: string): unknown;
  /** Compares two prepared values; defaults to UTF-16 code-unit order. */
  compare?(a: unknown, b: unknown): number;
}

const byString = (a: unknown, b: unknown): number => ((a as string) < (b as string) ? -1 : a! > b! ? 1 : 0);

const phaseRank = new Map<string, number>(clusterPhases.map((p, i) => [p, i]));

/** A semantic version sorts by its numbers (v1.9 < v1.10); anything else after every version, by text. */
function prepareVersion(value: string): SemVer | string {
  try {
    return new SemVer(value);
  } catch {
    return value;
  }
}

function compareVersions(a: unknown, b: unknown): number {
  const av = a instanceof SemVer;
  const bv = b instanceof SemVer;
  if (av && bv) return a.compare(b) || byString(a.raw, b.raw);
  if (av) return -1;
  if (bv) return 1;
  return byString(a, b);
}

const fields: Record<ClusterOrderField, FieldOrder> = {
  NAME: { value: (_ctx, c) => c.address.name },
  NAMESPACE: { value: (_ctx, c) => c.address.namespace },
  MANAGEMENT_CLUSTER: { value: (_ctx, c) => c.address.managementCluster },
  // The lifecycle order of the ClusterPhase enum (Pending → … → Unknown), not alphabetical.
  PHASE: {
    value: (_ctx, c) => clusterPhaseOf(c.phase),
    prepare: (phase) => phaseRank.get(phase) ?? clusterPhases.length,
    compare: (a, b) => (a as number) - (b as number),
  },
  KUBERNETES_VERSION: {
    // As `Cluster.kubernetesVersion`: the topology's, else the control plane's.
    value: (ctx, c) => c.topology?.version ?? clusterKubernetesVersion(c, ctx.reader.controlPlaneOf(c)),
    prepare: prepareVersion,
    compare: compareVersions,
  },
  INFRASTRUCTURE_KIND: { value: (_ctx, c) => c.infrastructureRef?.kind ?? null },
  // RFC 3339 in UTC as the API server writes it: the text sorts by time (oldest first).
  CREATED: { value: (_ctx, c) => c.createdAt },
};

function tieOf(managementCluster: string, namespace: string, name: string): string {
  return `${managementCluster}\u0000${namespace}\u0000${name}`;
}

/** How an ordering is named in cursors and errors: `PHASE DESC`. */
export function orderName(order: ClusterOrder): string {
  return `${order.field} ${order.direction ?? 'ASC'}`;
}

function isCursorPayload(v: unknown): v is [string, string | null, string, string, string] {
  return (
    Array.isArray(v) &&
    v.length === 5 &&
    typeof v[0] === 'string' &&
    (v[1] === null || typeof v[1] === 'string') &&
    v.slice(2).every((s) => typeof s === 'string')
  );
}

/** What a cursor says about the order it was made in: its name, or null for the default order. */
function cursorOrderOf(text: string): string | null {
  if (!text.startsWith('o:')) return null;
  try {
    const payload: unknown = JSON.parse(text.slice(2));
    return isCursorPayload(payload) ? payload[0] : null;
  } catch {
    return null;
  }
}

/**
 * The ordering of `clusters(orderBy:)`: one request's keys, computed once per cluster (the field
 * value, and a parsed version at most once per distinct version), then compared without lookups.
 */
export function clusterOrdering(
  ctx: GatewayContext,
  order: ClusterOrder,
): Ordering<ClusterView, ClusterOrderKey> {
  const field = fields[order.field];
  if (!field) throw new InvalidInputError('orderBy.field', `unknown field '${String(order.field)}'`);
  const name = orderName(order);
  const sign = order.direction === 'DESC' ? -1 : 1;
  const compareValues = field.compare ?? byString;
  const prepared = new Map<string, unknown>();
  const prepare = (value: string | null): unknown => {
    if (value === null || !field.prepare) return value;
    let p = prepared.get(value);
    if (p === undefined) prepared.set(value, (p = field.prepare(value)));
    return p;
  };
  const keyFrom = (value: string | null, mc: string, ns: string, n: string): ClusterOrderKey => ({
    value,
    sortable: prepare(value),
    tie: tieOf(mc, ns, n),
    managementCluster: mc,
    namespace: ns,
    name: n,
  });
  return {
    keyOf: (c) =>
      keyFrom(field.value(ctx, c), c.address.managementCluster, c.address.namespace, c.address.name),
    compare: (a, b) => {
      // A cluster without the value comes after those with one (before them in DESC).
      let primary: number;
      if (a.value === null || b.value === null) primary = a.value === b.value ? 0 : a.value === null ? 1 : -1;
      else primary = compareValues(a.sortable, b.sortable);
      if (primary !== 0) return sign * primary;
      return a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0;
    },
    encode: (k) => cursorOf(`o:${JSON.stringify([name, k.value, k.managementCluster, k.namespace, k.name])}`),
    decode: (cursor, arg) => {
      const text = cursorText(cursor);
      if (text.startsWith('k:')) throw new CursorOrderMismatchError(arg, 'the default order', name);
      let payload: unknown;
      try {
        payload = text.startsWith('o:') ? JSON.parse(text.slice(2)) : undefined;
      } catch {
        payload = undefined;
      }
      if (!isCursorPayload(payload)) throw new InvalidInputError(arg, notOurCursor);
      if (payload[0] !== name) throw new CursorOrderMismatchError(arg, payload[0], name);
      return keyFrom(payload[1], payload[2], payload[3], payload[4]);
    },
  };
}

/**
 * The default order (management cluster, namespace, name) with the cursors `clusters` has always
 * made; a cursor of an `orderBy` page is refused as from another order.
 */
export function defaultClusterOrdering(keyOf: (c: ClusterView) => string): Ordering<ClusterView, string> {
  return {
    keyOf,
    compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    encode: (key) => cursorOf(`k:${key}`),
    decode: (cursor, arg) => {
      const text = cursorText(cursor);
      if (text.startsWith('k:')) return text.slice(2);
      const other = cursorOrderOf(text);
      if (other !== null) throw new CursorOrderMismatchError(arg, other, 'the default order');
      throw new InvalidInputError(arg, notOurCursor);
    },
  };
}
