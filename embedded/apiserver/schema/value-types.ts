import type { CompiledNode } from './compiled-node.ts';
import { isRecord } from './schema-props.ts';

/** The JSON type name go-openapi reports for a value. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function typeMatches(node: CompiledNode, value: unknown): boolean {
  if (node.intOrString) return typeof value === 'string' || Number.isInteger(value);
  switch (node.type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}
