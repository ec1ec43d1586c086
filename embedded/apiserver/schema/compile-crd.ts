import type { AdmissionCause, KubeObject } from '../admission.ts';
import type { UnsupportedRule } from './cel-rules.ts';
import { compileNode } from './compiled-node.ts';
import { fieldError, invalid, notSupported, required } from './field-errors.ts';
import { compileGoRegex } from './go-regex.ts';
import { isRecord } from './schema-props.ts';
import type { SchemaProps } from './schema-props.ts';
import type { CompiledCrdVersion } from './types.ts';
import { checkAgainstSchema } from './version-checker.ts';

/** A rule that could not be compiled, where it was found (reported once per CRD version). */
export interface SkippedRule extends UnsupportedRule {
  crd: string;
  version: string;
  path: string;
}

const skippedRules = new Map<string, SkippedRule>();

/** Every CEL rule skipped so far (for KNOWN_DIFFERENCES.md and the server's log). */
export function skippedCelRules(): SkippedRule[] {
  return [...skippedRules.values()];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The structural basics kube-apiserver insists on; the rest of structural-schema checking is left out. */
function structuralErrors(
  props: SchemaProps,
  path: string,
  errors: AdmissionCause[],
  context: { inJunctor: boolean; what: 'object fields' | 'array items' | 'root' },
): void {
  const preserves =
    props['x-kubernetes-preserve-unknown-fields'] === true || props['x-kubernetes-int-or-string'];
  if (!context.inJunctor && context.what !== 'root' && !props.type && !preserves) {
    errors.push(
      fieldError('Required value', `${path}.type`, `must not be empty for specified ${context.what}`),
    );
  }
  if (props.uniqueItems === true) {
    errors.push(
      fieldError(
        'Forbidden',
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  }
  const pattern = props.pattern === undefined ? undefined : compileGoRegex(props.pattern);
  if (pattern instanceof Error) {
    const detail = `must be a valid regular expression, but isn't: ${pattern.message}`;
    errors.push(invalid(`${path}.pattern`, props.pattern, detail));
  }
  const field = { ...context, what: 'object fields' as const };
  for (const [key, child] of Object.entries(props.properties ?? {})) {
    structuralErrors(child, `${path}.properties[${key}]`, errors, field);
  }
  if (props.items)
    structuralErrors(props.items, `${path}.items`, errors, { ...context, what: 'array items' });
  if (isRecord(props.additionalProperties)) {
    structuralErrors(
      props.additionalProperties as SchemaProps,
      `${path}.additionalProperties`,
      errors,
      field,
    );
  }
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    props[junctor]?.forEach((s, i) =>
      structuralErrors(s, `${path}.${junctor}[${i}]`, errors, { inJunctor: true, what: 'object fields' }),
    );
  }
}

/** kube-apiserver reports schema errors at spec.validation when every version has the same schema. */
function schemaPath(versions: unknown[], index: number): string {
  const schemas = versions.map((v) => JSON.stringify(isRecord(v) && isRecord(v.schema) ? v.schema : null));
  const shared = schemas.every((s) => s === schemas[0]);
  return shared ? 'spec.validation.openAPIV3Schema' : `spec.versions[${index}].schema.openAPIV3Schema`;
}

function versionErrors(versions: unknown[]): AdmissionCause[] {
  const errors: AdmissionCause[] = [];
  if (versions.length === 0) errors.push(required('spec.versions'));
  const storage = versions.filter((v) => isRecord(v) && v.storage === true).length;
  if (versions.length > 0 && storage !== 1) {
    errors.push(
      invalid('spec.versions', versions, 'must have exactly one version marked as storage version'),
    );
  }
  const reported = new Set<string>();
  versions.forEach((v, i) => {
    const path = `spec.versions[${i}]`;
    if (!isRecord(v) || !str(v.name)) errors.push(required(`${path}.name`));
    const schema = isRecord(v) && isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isRecord(schema)) {
      errors.push(required(`${path}.schema.openAPIV3Schema`));
      return;
    }
    const rootPath = schemaPath(versions, i);
    if (reported.has(rootPath)) return;
    reported.add(rootPath);
    if (schema.type !== 'object') {
      errors.push(invalid(`${rootPath}.type`, schema.type ?? '', 'must be object at the root'));
    }
    structuralErrors(schema as SchemaProps, rootPath, errors, { inJunctor: false, what: 'root' });
  });
  return errors;
}

function specErrors(
  crd: KubeObject,
  spec: Record<string, unknown>,
  names: Record<string, unknown>,
): AdmissionCause[] {
  const errors: AdmissionCause[] = [];
  const group = str(spec.group) ?? '';
  const plural = str(names.plural);
  if (plural && crd.metadata.name !== `${plural}.${group}`) {
    errors.push(
      invalid('metadata.name', crd.metadata.name ?? '', `must be spec.names.plural+"."+spec.group`),
    );
  }
  if (!group) errors.push(required('spec.group'));
  else if (!group.includes('.'))
    errors.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  if (!plural) errors.push(required('spec.names.plural'));
  if (!str(names.kind)) errors.push(required('spec.names.kind'));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push(
      spec.scope === undefined
        ? required('spec.scope')
        : notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']),
    );
  }
  return [...errors, ...versionErrors(Array.isArray(spec.versions) ? spec.versions : [])];
}

type CompiledCrd = { versions: CompiledCrdVersion[]; errors: AdmissionCause[] };

/**
 * Compiled CRDs by name and spec: a CRD is compiled when it is validated and again when it is
 * registered, and every server start compiles the ~30 built-in CAPI CRDs (their full schemas take
 * about half a second); the compiled form is immutable, so identical CRDs share it.
 */
const compiled = new Map<string, CompiledCrd>();
const maxCompiled = 256;

/** Validates a CRD as kube-apiserver does on create/update and compiles its served versions. */
export function compileCrd(crd: KubeObject): CompiledCrd {
  const key = `${crd.metadata.name ?? ''}\n${JSON.stringify(crd.spec ?? null)}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const result = compileUncached(crd);
  if (compiled.size >= maxCompiled) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, result);
  return result;
}

function compileUncached(crd: KubeObject): CompiledCrd {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const errors = specErrors(crd, spec, names);
  if (errors.length > 0) return { versions: [], errors };
  const group = spec.group as string;
  const kind = names.kind as string;
  const plural = names.plural as string;
  const versions: CompiledCrdVersion[] = [];
  for (const v of spec.versions as Array<Record<string, unknown>>) {
    if (v.served !== true) continue;
    const version = v.name as string;
    const context = { unsupported: [] as Array<UnsupportedRule & { path: string }> };
    const root = compileNode((v.schema as { openAPIV3Schema: SchemaProps }).openAPIV3Schema, '', context);
    for (const skipped of context.unsupported) {
      const key = `${plural}.${group}/${version}${skipped.path}:${skipped.rule}`;
      if (!skippedRules.has(key)) skippedRules.set(key, { ...skipped, crd: `${plural}.${group}`, version });
    }
    versions.push({
      group,
      version,
      kind,
      plural,
      namespaced: spec.scope === 'Namespaced',
      check: (object, options) => checkAgainstSchema({ kind, version, root }, object, options),
    });
  }
  return { versions, errors };
}
