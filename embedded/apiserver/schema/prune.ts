import type { CompiledNode } from './compiled-node.ts';
import { pruneObjectMeta } from './object-meta.ts';
import { isRecord } from './schema-props.ts';

export const joinPath = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/**
 * Structural pruning as kube-apiserver decodes a custom resource: fields the schema does not
 * know are dropped (their paths recorded for fieldValidation) unless preserved, and `null` in a
 * non-nullable field without a default is dropped. Mutates `value`.
 */
export function prune(
  value: unknown,
  node: CompiledNode,
  path: string,
  pruned: string[],
  resourceRoot: boolean,
): void {
  if (Array.isArray(value)) {
    const items = node.items;
    if (items === undefined) return;
    for (let i = 0; i < value.length; i++) {
      prune(value[i], items, `${path}[${i}]`, pruned, items.embeddedResource);
    }
    return;
  }
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    const childPath = joinPath(path, key);
    if (resourceRoot && (key === 'apiVersion' || key === 'kind')) continue;
    if (resourceRoot && key === 'metadata') {
      pruneObjectMeta(value[key], childPath, pruned);
      continue;
    }
    const child = node.properties?.get(key) ?? node.additional;
    if (child === undefined) {
      if (node.preserveUnknown || node.additionalAny) continue;
      delete value[key];
      pruned.push(childPath);
      continue;
    }
    const childValue = value[key];
    if (childValue === null) {
      if (!child.nullable && child.props.default === undefined) delete value[key];
      continue;
    }
    prune(childValue, child, childPath, pruned, child.embeddedResource);
  }
}
