import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ClusterClassView } from '../capi/views.ts';
import type { FieldViolation } from '../k8s/domain-error.ts';

/** OpenAPI v3 schemas as CAPI writes them: Kubernetes extensions and `nullable` are allowed. */
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: false });
// ajv-formats is CommonJS: under ESM its function is the default export's `default`.
addFormats.default(ajv);

const compiled = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

function pathOf(variable: string, error: ErrorObject): string {
  const inner = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('');
  const missing =
    error.keyword === 'required' ? `.${(error.params as { missingProperty: string }).missingProperty}` : '';
  return `variables.${variable}${inner}${missing}`;
}

/**
 * Checks variables against the ClusterClass's schemas, as CAPI's Cluster webhook would, before
 * anything is written: unknown variables, missing required ones (unless their schema has a
 * default, which is filled in), and every schema violation with its path. Answers the values
 * with defaults applied.
 */
export function validateClassVariables(
  clusterClass: ClusterClassView,
  given: Record<string, unknown>,
): { values: Array<{ name: string; value: unknown }>; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const values: Array<{ name: string; value: unknown }> = [];
  const known = new Map(clusterClass.variables.map((v) => [v.name, v]));
  for (const name of Object.keys(given).sort())
    if (!known.has(name))
      violations.push({
        path: `variables.${name}`,
        message: `ClusterClass ${clusterClass.address.name} has no variable '${name}'`,
      });
  for (const variable of clusterClass.variables) {
    const schema =
      typeof variable.schema === 'object' && variable.schema !== null ? (variable.schema as object) : {};
    let value: unknown = structuredClone(given[variable.name]);
    if (value === undefined) {
      const fallback = (schema as { default?: unknown }).default;
      if (fallback !== undefined) value = structuredClone(fallback);
      else if (variable.required)
        violations.push({ path: `variables.${variable.name}`, message: 'is required by the ClusterClass' });
      if (value === undefined) continue;
    }
    const validate = validatorOf(schema);
    if (!validate(value)) {
      for (const error of validate.errors ?? [])
        violations.push({ path: pathOf(variable.name, error), message: error.message ?? 'is invalid' });
      continue;
    }
    values.push({ name: variable.name, value });
  }
  return { values, violations };
}
