import type { CacheChangeEvent } from '../capi/change-event.ts';

/**
 * Folds a new change of an object into the one already waiting for it (latest state wins):
 * ADDED+MODIFIED is ADDED with the newest view, ADDED+DELETED is nothing, DELETED+ADDED is a
 * MODIFIED from the first old view, so a relist inside a window never announces a second ADDED.
 */
export function foldChange(
  waiting: CacheChangeEvent | undefined,
  next: CacheChangeEvent,
): CacheChangeEvent | null {
  if (!waiting) return next;
  const old = waiting.old;
  if (next.type === 'DELETED') return old ? { ...next, type: 'DELETED', old } : null;
  if (!old) return { ...next, type: 'ADDED', old: null };
  return { ...next, type: 'MODIFIED', old };
}

export function objectKey(event: CacheChangeEvent): string {
  const a = event.address;
  return `${a.group}/${a.kind}/${a.namespace}/${a.name}`;
}
