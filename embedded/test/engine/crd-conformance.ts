/**
 * An explicit check, independent of the API server's own validation, that an object fits the
 * real CAPI CRD of its kind: JSON-schema validation (ajv) plus a walk for fields the schema does
 * not know (which a real server would silently prune).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { SHARED_CAPI, type Obj } from './engine-harness.ts';

type Schema = Record<string, unknown>;

interface CrdEntry {
  schema: Schema;
  validate?: ValidateFunction;
}

let crds: Map<string, CrdEntry> | undefined;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats.default(ajv);

function load(): Map<string, CrdEntry> {
  if (crds) return crds;
  crds = new Map();
  for (const file of readdirSync(join(SHARED_CAPI, 'crds'))) {
    const crd = parse(readFileSync(join(SHARED_CAPI, 'crds', file), 'utf8')) as {
      spec: {
        group: string;
        names: { kind: string };
        versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }>;
      };
    };
    for (const version of crd.spec.versions) {
      const schema = version.schema.openAPIV3Schema;
      crds.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, {
        schema,
        validate: ajv.compile(schema),
      });
    }
  }
  return crds;
}

function unknownFields(value: unknown, schema: Schema | undefined, path: string, out: string[]): void {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(item, schema.items as Schema | undefined, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const properties = schema.properties as Record<string, Schema> | undefined;
  const additional = schema.additionalProperties as Schema | boolean | undefined;
  if (!properties && !additional) return; // metadata and other free-form objects
  for (const [key, child] of Object.entries(value)) {
    if (path === '' && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    const childSchema = properties?.[key] ?? (typeof additional === 'object' ? additional : undefined);
    if (!childSchema && additional !== true) out.push(`${path}.${key}`.replace(/^\./, ''));
    else unknownFields(child, childSchema, `${path}.${key}`, out);
  }
}

/** Problems of `object` against the real CRD of its kind; undefined when the kind has no CRD there. */
export function crdProblems(object: Obj): string[] | undefined {
  const entry = load().get(`${object.apiVersion}/${object.kind}`);
  if (!entry) return undefined;
  const problems: string[] = [];
  // Compiling is the expensive part: only for the kinds actually checked.
  const validate = (entry.validate ??= ajv.compile(entry.schema));
  if (!validate(object)) {
    for (const error of validate.errors ?? []) problems.push(`${error.instancePath} ${error.message ?? ''}`);
  }
  unknownFields(object, entry.schema, '', problems);
  return problems;
}
