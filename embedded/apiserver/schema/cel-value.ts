import type { CompiledNode } from './compiled-node.ts';
import { isRecord } from './schema-props.ts';

/** The CEL view of a value: integers of non-`number` fields are CEL ints, objects CEL maps. */
export function toCel(value: unknown, node: CompiledNode | undefined): unknown {
  if (typeof value === 'number')
    return Number.isInteger(value) && node?.type !== 'number' ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((item) => toCel(item, node?.items));
  if (isRecord(value)) {
    return new Map(
      Object.entries(value).map(([k, v]) => [k, toCel(v, node?.properties?.get(k) ?? node?.additional)]),
    );
  }
  return value;
}
