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

/** Lower bound of `key` in `keys` (sorted). */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function decodeCursor(cursor: string, field: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key.startsWith('k:')) throw new InvalidInputError(field, 'not a cursor from this connection');
  return key.slice(2);
}

/**
 * A Relay page over items in a stable order, with cursors made of each item's sort key:
 * unlike offsets they stay valid while objects come and go between pages.
 */
export function pageOf<T>(items: T[], keyOf: (item: T) => string, args: PageArgs): Page<T> {
  const sorted = items
    .map((item) => ({ item, key: keyOf(item) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const keys = sorted.map((s) => s.key);
  let start = 0;
  let end = sorted.length;
  if (args.after) {
    const key = decodeCursor(args.after, 'after');
    start = lowerBound(keys, key);
    if (keys[start] === key) start++;
  }
  if (args.before) end = Math.max(start, lowerBound(keys, decodeCursor(args.before, 'before')));
  if (args.first != null && args.first < 0) throw new InvalidInputError('first', 'must not be negative');
  if (args.last != null && args.last < 0) throw new InvalidInputError('last', 'must not be negative');
  const windowStart = start;
  const windowEnd = end;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const cursorOf = (key: string): string => Buffer.from(`k:${key}`).toString('base64url');
  const edges = sorted.slice(start, end).map((s) => ({ node: s.item, cursor: cursorOf(s.key) }));
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
