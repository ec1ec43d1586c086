import type { AdmissionCause } from '../admission.ts';
import { evaluateRule } from './cel-rules.ts';
import type { CompiledNode } from './compiled-node.ts';
import { toCel } from './cel-value.ts';
import { correlatedItem, sortedKeys } from './correlation.ts';
import { deepEqual } from './deep-equal.ts';
import { fieldError, invalid, omitValue } from './field-errors.ts';
import { joinPath } from './prune.ts';
import { isRecord } from './schema-props.ts';
import { jsonType } from './value-types.ts';

/**
 * The `x-kubernetes-validations` pass, run after the schema checks as kube-apiserver does:
 * top-down (a node's rules before its children's), transition rules only where an old value
 * correlates, unchanged values skipped (ratcheting).
 */
export class CelValidator {
  readonly errors: AdmissionCause[] = [];

  validate(value: unknown, node: CompiledNode, path: string, old: unknown, resourceRoot: boolean): void {
    if (!node.hasRules || value === null || value === undefined) return;
    if (old !== undefined && deepEqual(value, old)) return;
    if (node.rules.length > 0)
      this.evaluate(resourceRoot ? celRoot(value) : value, node, path, resourceRoot ? celRoot(old) : old);
    if (Array.isArray(value)) {
      const items = node.items;
      if (items === undefined) return;
      value.forEach((item, i) =>
        this.validate(item, items, `${path}[${i}]`, correlatedItem(node, item, old), false),
      );
    } else if (isRecord(value)) {
      const oldRecord = isRecord(old) ? old : undefined;
      for (const key of sortedKeys(value)) {
        if (resourceRoot && key === 'metadata') continue;
        const child = node.properties?.get(key) ?? node.additional;
        if (child !== undefined)
          this.validate(value[key], child, joinPath(path, key), oldRecord?.[key], false);
      }
    }
  }

  private evaluate(value: unknown, node: CompiledNode, path: string, old: unknown): void {
    let self: unknown;
    let oldSelf: unknown;
    for (const compiled of node.rules) {
      if (compiled.usesOldSelf && old === undefined) continue;
      self ??= toCel(value, node);
      if (compiled.usesOldSelf) oldSelf ??= toCel(old, node);
      const outcome = evaluateRule(compiled, self, oldSelf);
      if (outcome.ok) continue;
      if (outcome.evaluationError) {
        // Runtime errors ignore the rule's reason and fieldPath and show the value's type.
        this.errors.push(invalid(path || nilPath, node.type ?? jsonType(value), outcome.message));
        continue;
      }
      // kube-apiserver shows scalar values and omits objects and lists.
      const shown = typeof value === 'object' ? omitValue : value;
      const at = withFieldPath(path, compiled.rule.fieldPath);
      this.errors.push(ruleError(compiled.rule.reason, at, shown, outcome.message));
    }
  }
}

/** At the root, rules see only `metadata.name` and `metadata.generateName`, as in kube-apiserver. */
function celRoot(value: unknown): unknown {
  if (!isRecord(value) || !isRecord(value.metadata)) return value;
  const { name, generateName } = value.metadata;
  const metadata = {
    ...(name !== undefined ? { name } : {}),
    ...(generateName !== undefined ? { generateName } : {}),
  };
  return { ...value, metadata };
}

/** How a Go field.Path prints when it is nil: the root of the object. */
const nilPath = '<nil>';

function withFieldPath(path: string, fieldPath: string | undefined): string {
  if (!fieldPath) return path || nilPath;
  const relative = fieldPath.replace(/^\./, '');
  if (!path) return relative;
  return relative.startsWith('[') ? `${path}${relative}` : `${path}.${relative}`;
}

function ruleError(
  reason: string | undefined,
  path: string,
  value: unknown,
  message: string,
): AdmissionCause {
  switch (reason) {
    case 'FieldValueForbidden':
      return fieldError('Forbidden', path, message);
    case 'FieldValueRequired':
      return fieldError('Required value', path, message);
    case 'FieldValueDuplicate':
      // As upstream: a Duplicate error carries neither the value nor the rule's message.
      return fieldError('Duplicate value', path, '', omitValue);
    default:
      return invalid(path, value, message);
  }
}
