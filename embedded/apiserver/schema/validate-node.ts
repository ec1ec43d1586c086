import type { AdmissionCause } from '../admission.ts';
import type { CompiledNode } from './compiled-node.ts';
import { correlatedItem, listMapKey, sortedKeys } from './correlation.ts';
import { deepEqual } from './deep-equal.ts';
import { duplicate, invalid, required, typeInvalid } from './field-errors.ts';
import { joinPath } from './prune.ts';
import { isRecord } from './schema-props.ts';
import { jsonType, typeMatches } from './value-types.ts';

/**
 * The OpenAPI schema checks of a custom resource. As in kube-apiserver, list-set/map key
 * uniqueness is a separate pass whose errors follow the schema errors (`listErrors`).
 */
export class SchemaValidator {
  readonly errors: AdmissionCause[] = [];
  readonly listErrors: AdmissionCause[] = [];

  /** `old` is the correlated stored value on update: unchanged values are not re-validated (ratcheting). */
  validate(value: unknown, node: CompiledNode, path: string, old: unknown, resourceRoot: boolean): void {
    if (value === undefined || (old !== undefined && deepEqual(value, old))) return;
    if (value === null) {
      if (!node.nullable && (node.type !== undefined || node.intOrString)) this.typeError(node, path, value);
      return;
    }
    if (!typeMatches(node, value)) {
      this.typeError(node, path, value);
      return;
    }
    this.validateJunctors(value, node, path);
    for (const check of node.checks) check(value, path, this.errors);
    if (Array.isArray(value)) this.validateList(value, node, path, old);
    else if (isRecord(value)) this.validateObject(value, node, path, old, resourceRoot);
  }

  private typeError(node: CompiledNode, path: string, value: unknown): void {
    const expected = node.intOrString ? 'integer,string' : node.type;
    const actual = jsonType(value);
    this.errors.push(
      typeInvalid(path, actual, `${path} in body must be of type ${expected}: ${JSON.stringify(actual)}`),
    );
  }

  private validateObject(
    value: Record<string, unknown>,
    node: CompiledNode,
    path: string,
    old: unknown,
    resourceRoot: boolean,
  ): void {
    if (node.embeddedResource) {
      // An embedded object is a resource of its own: it needs to say what it is.
      for (const key of ['apiVersion', 'kind']) {
        if (typeof value[key] !== 'string' || value[key] === '') {
          this.errors.push(required(joinPath(path, key)));
        }
      }
    }
    const oldRecord = isRecord(old) ? old : undefined;
    for (const key of sortedKeys(value)) {
      if (resourceRoot && key === 'metadata') continue;
      const child = node.properties?.get(key) ?? node.additional;
      if (child !== undefined) {
        this.validate(value[key], child, joinPath(path, key), oldRecord?.[key], child.embeddedResource);
      }
    }
    for (const key of node.required) {
      if (value[key] === undefined) this.errors.push(required(joinPath(path, key)));
    }
  }

  // Loops rather than callbacks: this runs for every list of every write.
  private validateList(value: unknown[], node: CompiledNode, path: string, old: unknown): void {
    if (node.listType === 'set') this.setDuplicates(value, path);
    else if (node.listType === 'map' && node.listMapKeys.length > 0)
      this.mapKeyDuplicates(value, node.listMapKeys, path);
    const items = node.items;
    if (items === undefined) return;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      this.validate(item, items, `${path}[${i}]`, correlatedItem(node, item, old), items.embeddedResource);
    }
  }

  private setDuplicates(value: unknown[], path: string): void {
    for (let i = 1; i < value.length; i++) {
      for (let j = 0; j < i; j++) {
        if (deepEqual(value[i], value[j])) {
          this.listErrors.push(duplicate(`${path}[${i}]`, value[i]));
          break;
        }
      }
    }
  }

  private mapKeyDuplicates(value: unknown[], keys: string[], path: string): void {
    const seen = new Set<string>();
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const key = listMapKey(item, keys);
      if (seen.has(key) && isRecord(item)) {
        const keyObject: Record<string, unknown> = {};
        for (const k of keys) if (k in item) keyObject[k] = item[k];
        this.listErrors.push(duplicate(`${path}[${i}]`, keyObject));
      }
      seen.add(key);
    }
  }

  /**
   * go-openapi's junctor errors: a summary at the `<nil>` field quoting the path, then the errors
   * of the alternative that came closest (anyOf/oneOf) or of every failing one (allOf).
   */
  private validateJunctors(value: unknown, node: CompiledNode, path: string): void {
    if (node.allOf.length > 0) {
      const errors = alternativeErrors(value, node.allOf, path).flat();
      if (errors.length > 0)
        this.errors.push(junctorSummary(path, 'must validate all the schemas (allOf)'), ...errors);
    }
    if (node.anyOf.length > 0) {
      const results = alternativeErrors(value, node.anyOf, path);
      if (results.every(isNotEmpty)) {
        this.errors.push(
          junctorSummary(path, 'must validate at least one schema (anyOf)'),
          ...closest(results),
        );
      }
    }
    if (node.oneOf.length > 0) {
      const results = alternativeErrors(value, node.oneOf, path);
      const passing = results.length - results.filter(isNotEmpty).length;
      if (passing === 0) {
        const summary = junctorSummary(
          path,
          'must validate one and only one schema (oneOf). Found none valid',
        );
        this.errors.push(summary, ...closest(results));
      } else if (passing > 1) {
        const summary = `must validate one and only one schema (oneOf). Found ${passing} valid alternatives`;
        this.errors.push(junctorSummary(path, summary));
      }
    }
    if (node.not !== undefined && alternativeErrors(value, [node.not], path)[0]?.length === 0) {
      this.errors.push(junctorSummary(path, 'must not validate the schema (not)'));
    }
  }
}

/*
 * go-openapi's junctor errors: a summary at the `<nil>` field quoting the path, then the errors
 * of the alternative that came closest (anyOf/oneOf) or of every failing one (allOf).
 */
function alternativeErrors(value: unknown, schemas: CompiledNode[], path: string): AdmissionCause[][] {
  return schemas.map((schema) => {
    const sub = new SchemaValidator();
    sub.validate(value, schema, path, undefined, false);
    return [...sub.errors, ...sub.listErrors];
  });
}

function junctorSummary(path: string, text: string): AdmissionCause {
  return invalid('<nil>', '', `${JSON.stringify(path)} ${text}`);
}

function closest(results: AdmissionCause[][]): AdmissionCause[] {
  return results.reduce((best, errors) => (errors.length < best.length ? errors : best));
}

function isNotEmpty(errors: AdmissionCause[]): boolean {
  return errors.length > 0;
}
