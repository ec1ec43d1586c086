import { InvalidInputError } from './errors.ts';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

/**
 * How a connection orders its items: each item's key (computed once per request), how keys
 * compare (a total order: no two items may compare equal), and how a key becomes a cursor and
 * back (`decode` throws an InvalidInputError for a cursor it did not make).
 */
export interface Ordering<T, K> {
  keyOf(item: T): K;
  compare(a: K, b: K): number;
  encode(key: K): string;
  decode(cursor: string, field: 'after' | 'before'): K;
}

/** The first index in `keys` (sorted by `compare`) whose key is not before `key`. */
function lowerBound<K>(keys: K[], key: K, compare: (a: K, b: K) => number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A Relay page over items sorted once by `ordering`, with cursors made of each item's key:
 * unlike offsets they stay valid while objects come and go between pages.
 */
export function pageBy<T, K>(items: T[], ordering: Ordering<T, K>, args: PageArgs): Page<T> {
  const { compare } = ordering;
  const sorted = items
    .map((item) => ({ item, key: ordering.keyOf(item) }))
    .sort((a, b) => compare(a.key, b.key));
  const keys = sorted.map((s) => s.key);
  let start = 0;
  let end = sorted.length;
  if (args.after) {
    const key = ordering.decode(args.after, 'after');
    start = lowerBound(keys, key, compare);
    if (start < keys.length && compare(keys[start]!, key) === 0) start++;
  }
  if (args.before) end = Math.max(start, lowerBound(keys, ordering.decode(args.before, 'before'), compare));
  if (args.first != null && args.first < 0) throw new InvalidInputError('first', 'must not be negative');
  if (args.last != null && args.last < 0) throw new InvalidInputError('last', 'must not be negative');
  const windowStart = start;
  const windowEnd = end;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const edges = sorted.slice(start, end).map((s) => ({ node: s.item, cursor: ordering.encode(s.key) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: end < windowEnd || (args.before == null && end < sorted.length),
      hasPreviousPage: start > windowStart || (args.after == null ? false : windowStart > 0),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: sorted.length,
  };
}

/** A cursor's text (base64url of it is what clients see). */
export function cursorText(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

export function cursorOf(text: string): string {
  return Buffer.from(text).toString('base64url');
}

export const notOurCursor = 'not a cursor from this connection';

/** Items ordered by a string key each (unique), compared by UTF-16 code units. */
export function keyOrdering<T>(keyOf: (item: T) => string): Ordering<T, string> {
  return {
    keyOf,
    compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    encode: (key) => cursorOf(`k:${key}`),
    decode: (cursor, field) => {
      const text = cursorText(cursor);
      if (!text.startsWith('k:')) throw new InvalidInputError(field, notOurCursor);
      return text.slice(2);
    },
  };
}

/** A Relay page over items in the order of their (unique) string keys. */
export function pageOf<T>(items: T[], keyOf: (item: T) => string, args: PageArgs): Page<T> {
  return pageBy(items, keyOrdering(keyOf), args);
}
