import type { AdmissionCause } from '../admission.ts';
import { isRecord } from './schema-props.ts';

/** The k8s.io/apimachinery field.ErrorType values the schema machinery produces. */
type FieldErrorType =
  | 'Required value'
  | 'Invalid value'
  | 'Unsupported value'
  | 'Too long'
  | 'Too many'
  | 'Duplicate value'
  | 'Forbidden';

const reasons: Record<FieldErrorType, string> = {
  'Required value': 'FieldValueRequired',
  'Invalid value': 'FieldValueInvalid',
  'Unsupported value': 'FieldValueNotSupported',
  'Too long': 'FieldValueTooLong',
  'Too many': 'FieldValueTooMany',
  'Duplicate value': 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
};

/** Errors after which kube-apiserver does not run CEL rules (the object is too broken to evaluate). */
export const blockingReasons = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

const withoutValue = new Set<FieldErrorType>(['Required value', 'Forbidden', 'Too long']);

/** Sorted keys, as Go's json.Marshal writes the maps of an unstructured object. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Renders a value like field.Error does (`%q` for strings, JSON for maps and lists). */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return sortedJson(value);
}

/** Passed as the value when an error must not show one (CEL errors on objects and lists do that). */
export const omitValue = Symbol('omitValue');

export function fieldError(
  type: FieldErrorType,
  field: string,
  detail: string,
  value?: unknown,
): AdmissionCause {
  let message: string = type;
  if (!withoutValue.has(type) && value !== omitValue) message += `: ${goValue(value)}`;
  if (detail) message += `: ${detail}`;
  return { reason: reasons[type], message, field };
}

export const required = (field: string): AdmissionCause => fieldError('Required value', field, '');

/** A type mismatch: shown as `Invalid value`, reported with its own reason. */
export const typeInvalid = (field: string, actual: unknown, detail: string): AdmissionCause => ({
  ...fieldError('Invalid value', field, detail, actual),
  reason: 'FieldValueTypeInvalid',
});

export const invalid = (field: string, value: unknown, detail: string): AdmissionCause =>
  fieldError('Invalid value', field, detail, value);

export function notSupported(field: string, value: unknown, allowed: unknown[]): AdmissionCause {
  const quoted = allowed.map((v) =>
    typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(JSON.stringify(v)),
  );
  return fieldError('Unsupported value', field, `supported values: ${quoted.join(', ')}`, value);
}

export const tooLong = (field: string, max: number): AdmissionCause =>
  fieldError('Too long', field, `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}`);

export const tooMany = (field: string, actual: number, max: number): AdmissionCause =>
  fieldError('Too many', field, `must have at most ${max} items`, actual);

export const duplicate = (field: string, value: unknown): AdmissionCause =>
  fieldError('Duplicate value', field, '', value);

/** One error line as kube-apiserver prints it: `spec.replicas: Invalid value: …`. */
export function causeLine(cause: AdmissionCause): string {
  return cause.field ? `${cause.field}: ${cause.message}` : cause.message;
}

/** The aggregate form of several errors, as in a 422's message after `… is invalid: `. */
export function aggregateMessage(causes: AdmissionCause[]): string {
  const lines = causes.map(causeLine);
  return lines.length === 1 ? lines[0]! : `[${lines.join(', ')}]`;
}
