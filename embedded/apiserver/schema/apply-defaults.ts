import { cloneJson } from './clone-json.ts';
import type { CompiledNode } from './compiled-node.ts';
import { isRecord } from './schema-props.ts';

/**
 * Applies `default`s like kube-apiserver's structural defaulting: a property that is absent (or
 * null and not nullable) gets a copy of its default, then defaulting recurses into every value,
 * including the ones just defaulted. Mutates `value`.
 */
export function applyDefaults(value: unknown, node: CompiledNode, resourceRoot: boolean): void {
  if (!node.hasDefaults) return;
  if (Array.isArray(value)) {
    const items = node.items;
    if (items !== undefined) for (const item of value) applyDefaults(item, items, items.embeddedResource);
    return;
  }
  if (!isRecord(value)) return;
  for (const { key, value: defaultValue, nullable } of node.defaults) {
    const current = value[key];
    if (current === undefined || (current === null && !nullable)) value[key] = cloneJson(defaultValue);
  }
  for (const key of Object.keys(value)) {
    if (resourceRoot && key === 'metadata') continue;
    const child = node.properties?.get(key) ?? node.additional;
    if (child !== undefined) applyDefaults(value[key], child, child.embeddedResource);
  }
}
