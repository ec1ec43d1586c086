import type { CompiledNode } from './compiled-node.ts';
import { deepEqual } from './deep-equal.ts';
import { isRecord } from './schema-props.ts';

export function listMapKey(item: unknown, keys: string[]): string {
  return JSON.stringify(keys.map((k) => (isRecord(item) ? (item[k] ?? null) : null)));
}

/**
 * The stored list element a new one corresponds to, for ratcheting and `oldSelf`: by map keys
 * (`x-kubernetes-list-type: map`) or value (`set`); items of atomic lists correlate with nothing.
 */
export function correlatedItem(node: CompiledNode, item: unknown, old: unknown): unknown {
  if (!Array.isArray(old)) return undefined;
  if (node.listType === 'map') {
    const key = listMapKey(item, node.listMapKeys);
    return old.find((o) => listMapKey(o, node.listMapKeys) === key);
  }
  if (node.listType === 'set') return old.find((o) => deepEqual(o, item));
  return undefined;
}

/** Object keys in the order kube-apiserver reports their errors. */
export function sortedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).sort();
}
