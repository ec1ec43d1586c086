/**
 * ClusterClass variable schemas (openAPIV3Schema) checked in the browser with ajv, so a wrong
 * value is refused before it is sent; the gateway checks again and answers a ValidationError.
 */
import Ajv, { type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

export interface VariableSchema {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  [key: string]: unknown;
}

/** The openAPIV3Schema of a ClusterClassVariable's `schema` (either shape). */
export function openApiSchema(schema: unknown): VariableSchema {
  if (schema && typeof schema === 'object') {
    const s = schema as { openAPIV3Schema?: VariableSchema };
    return s.openAPIV3Schema ?? (schema as VariableSchema);
  }
  return {};
}

/** Kubernetes schema extensions ajv does not know; removed before compiling. */
function plain(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(plain);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema as Record<string, unknown>)
      .filter(([k]) => !k.startsWith('x-kubernetes-') && k !== 'x-metadata')
      .map(([k, v]) => [k, plain(v)]),
  );
}

/** Undefined when `value` satisfies the schema, else one readable message. */
export function checkValue(schema: VariableSchema, value: unknown): string | undefined {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(plain(schema) as object);
    compiled.set(schema, validate);
  }
  if (validate(value)) return undefined;
  return (validate.errors ?? [])
    .map((e) => {
      const where = e.instancePath ? `${e.instancePath} ` : '';
      if (e.keyword === 'enum')
        return `${where}must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
      return `${where}${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}

/** What the form holds for a variable (text) as the value to check and send. */
export function parseInput(schema: VariableSchema, text: string): unknown {
  switch (schema.type) {
    case 'integer':
    case 'number':
      return text.trim() === '' ? undefined : Number(text);
    case 'boolean':
      return text === 'true';
    case 'object':
    case 'array':
      try {
        return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return text;
      }
    default:
      return text === '' ? undefined : text;
  }
}
