import type { AdmissionCause } from '../admission.ts';
import { evaluateRule } from './cel-rules.ts';
import type { CompiledNode } from './compiled-node.ts';
import { deepEqual } from './deep-equal.ts';
import { duplicate, fieldError, invalid, required } from './field-errors.ts';
import { joinPath } from './prune.ts';
import { isRecord } from './schema-props.ts';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(node: CompiledNode, value: unknown): boolean {
  if (node.intOrString) return typeof value === 'string' || Number.isInteger(value);
  switch (node.type) {
    case undefined:
    case '':
      return true;
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

/** The CEL view of a value: integers of integer-typed fields are CEL ints, objects CEL maps. */
function toCel(value: unknown, node: CompiledNode | undefined): unknown {
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

function celType(node: CompiledNode, value: unknown): string {
  return node.type ?? jsonType(value);
}

function listMapKey(item: unknown, keys: string[]): string {
  return JSON.stringify(keys.map((k) => (isRecord(item) ? (item[k] ?? null) : null)));
}

/** The old list element a new one corresponds to (by map keys or set value); atomic lists have none. */
function correlatedItem(node: CompiledNode, item: unknown, old: unknown): unknown {
  if (!Array.isArray(old)) return undefined;
  if (node.listType === 'map') {
    const key = listMapKey(item, node.listMapKeys);
    return old.find((o) => listMapKey(o, node.listMapKeys) === key);
  }
  if (node.listType === 'set') return old.find((o) => deepEqual(o, item));
  return undefined;
}

export class SchemaValidator {
  readonly errors: AdmissionCause[] = [];

  /** `old` is the correlated stored value on update: unchanged values are not re-validated (ratcheting). */
  validate(value: unknown, node: CompiledNode, path: string, old: unknown, resourceRoot: boolean): void {
    if (old !== undefined && deepEqual(value, old)) return;
    if (value === null) {
      if (!node.nullable && (node.type !== undefined || node.intOrString)) this.typeError(node, path, value);
      return;
    }
    if (!typeMatches(node, value)) {
      this.typeError(node, path, value);
      return;
    }
    for (const check of node.checks) check(value, path, this.errors);
    if (Array.isArray(value)) this.validateList(value, node, path, old);
    else if (isRecord(value)) this.validateObject(value, node, path, old, resourceRoot);
    this.validateJunctors(value, node, path);
    if (node.rules.length > 0) this.validateRules(value, node, path, old);
  }

  private typeError(node: CompiledNode, path: string, value: unknown): void {
    const expected = node.intOrString ? 'integer,string' : node.type;
    const actual = jsonType(value);
    this.errors.push(
      fieldError(
        'Invalid value',
        path,
        `${path} in body must be of type ${expected}: ${JSON.stringify(actual)}`,
        actual,
      ),
    );
  }

  private validateObject(
    value: Record<string, unknown>,
    node: CompiledNode,
    path: string,
    old: unknown,
    resourceRoot: boolean,
  ): void {
    for (const key of node.required) {
      if (value[key] === undefined) this.errors.push(required(joinPath(path, key)));
    }
    if (node.embeddedResource) {
      // An embedded object is a resource of its own: it needs to say what it is.
      for (const key of ['apiVersion', 'kind']) {
        if (typeof value[key] !== 'string' || value[key] === '') {
          this.errors.push(fieldError('Required value', joinPath(path, key), 'must not be empty'));
        }
      }
    }
    const oldRecord = isRecord(old) ? old : undefined;
    for (const key of Object.keys(value)) {
      if (resourceRoot && key === 'metadata') continue;
      const child = node.properties?.get(key) ?? node.additional;
      if (child !== undefined) {
        this.validate(value[key], child, joinPath(path, key), oldRecord?.[key], child.embeddedResource);
      }
    }
  }

  private validateList(value: unknown[], node: CompiledNode, path: string, old: unknown): void {
    if (node.listType === 'set') {
      value.forEach((item, i) => {
        if (value.findIndex((other) => deepEqual(item, other)) !== i)
          this.errors.push(duplicate(`${path}[${i}]`, item));
      });
    } else if (node.listType === 'map' && node.listMapKeys.length > 0) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = listMapKey(item, node.listMapKeys);
        if (seen.has(key)) {
          const keyObject = Object.fromEntries(
            node.listMapKeys
              .filter((k) => isRecord(item) && k in item)
              .map((k) => [k, (item as Record<string, unknown>)[k]]),
          );
          this.errors.push(duplicate(`${path}[${i}]`, keyObject));
        }
        seen.add(key);
      });
    }
    const items = node.items;
    if (items === undefined) return;
    value.forEach((item, i) => {
      this.validate(item, items, `${path}[${i}]`, correlatedItem(node, item, old), items.embeddedResource);
    });
  }

  private validateJunctors(value: unknown, node: CompiledNode, path: string): void {
    const failures = (schemas: CompiledNode[]) =>
      schemas.map((schema) => {
        const sub = new SchemaValidator();
        sub.validate(value, schema, path, undefined, false);
        return sub.errors;
      });
    if (node.allOf.length > 0) {
      const errors = failures(node.allOf).flat();
      if (errors.length > 0) {
        this.errors.push(
          invalid(path, value, `${path} in body must validate all the schemas (allOf)`),
          ...errors,
        );
      }
    }
    if (node.anyOf.length > 0) {
      const results = failures(node.anyOf);
      if (results.every((errors) => errors.length > 0)) {
        this.errors.push(
          invalid(path, value, `${path} in body must validate at least one schema (anyOf)`),
          ...results.flat(),
        );
      }
    }
    if (node.oneOf.length > 0) {
      const passing = failures(node.oneOf).filter((errors) => errors.length === 0).length;
      if (passing !== 1)
        this.errors.push(
          invalid(path, value, `${path} in body must validate one and only one schema (oneOf)`),
        );
    }
    if (node.not !== undefined && failures([node.not])[0]?.length === 0) {
      this.errors.push(invalid(path, value, `${path} in body must not validate the schema (not)`));
    }
  }

  private validateRules(value: unknown, node: CompiledNode, path: string, old: unknown): void {
    let self: unknown;
    let oldSelf: unknown;
    for (const compiled of node.rules) {
      if (compiled.usesOldSelf && old === undefined) continue;
      self ??= toCel(value, node);
      if (compiled.usesOldSelf) oldSelf ??= toCel(old, node);
      const outcome = evaluateRule(compiled, self, oldSelf);
      if (outcome.ok) continue;
      const fieldPath = compiled.rule.fieldPath ?? '';
      const at = fieldPath
        ? path
          ? `${path}${fieldPath.startsWith('[') ? '' : '.'}${fieldPath.replace(/^\./, '')}`
          : fieldPath.replace(/^\./, '')
        : path;
      this.errors.push(this.ruleError(compiled.rule.reason, at, celType(node, value), outcome.message));
    }
  }

  private ruleError(reason: string | undefined, path: string, type: string, message: string): AdmissionCause {
    switch (reason) {
      case 'FieldValueForbidden':
        return fieldError('Forbidden', path, message);
      case 'FieldValueRequired':
        return fieldError('Required value', path, message);
      case 'FieldValueDuplicate':
        // As upstream: a Duplicate error carries the value's type, not the rule's message.
        return duplicate(path, type);
      default:
        return invalid(path, type, message);
    }
  }
}
