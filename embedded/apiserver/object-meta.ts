/** ObjectMeta validation the real server does for every kind (names, labels, annotations). */
import type { AdmissionCause, KubeObject } from './admission.ts';

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const maxAnnotationBytes = 256 * 1024;

/** How a kind's names are checked: namespaces are labels, RBAC kinds path segments, the rest subdomains. */
export type NameRule = 'label' | 'subdomain' | 'pathSegment';

export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (rule === 'pathSegment') {
    if (name === '.' || name === '..') return `may not be '${name}'`;
    for (const bad of ['/', '%']) if (name.includes(bad)) return `may not contain '${bad}'`;
    return name === '' ? 'name or generateName is required' : undefined;
  }
  if (rule === 'label') {
    if (name.length > 63) return 'must be no more than 63 characters';
    if (!dns1123Label.test(name)) {
      return `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
    }
    return undefined;
  }
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!dns1123Subdomain.test(name)) {
    return `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  }
  return undefined;
}

function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !dns1123Subdomain.test(prefix))) {
    return 'prefix part must be a lowercase RFC 1123 subdomain';
  }
  if (name.length > 63 || !qualifiedName.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

export function validateObjectMeta(obj: KubeObject, nameRule: NameRule): AdmissionCause[] {
  const causes: AdmissionCause[] = [];
  const meta = obj.metadata;
  const name = meta.name ?? '';
  const problem = nameProblem(name, nameRule);
  if (problem)
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": ${problem}`,
    });
  if (meta.labels !== undefined) {
    if (!isStringMap(meta.labels)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: 'Invalid value: labels must be a map of strings',
      });
    } else {
      for (const [key, value] of Object.entries(meta.labels)) {
        const kp = keyProblem(key);
        if (kp)
          causes.push({
            reason: 'FieldValueInvalid',
            field: 'metadata.labels',
            message: `Invalid value: "${key}": ${kp}`,
          });
        if (value.length > 63 || !labelValue.test(value)) {
          causes.push({
            reason: 'FieldValueInvalid',
            field: `metadata.labels`,
            message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
          });
        }
      }
    }
  }
  if (meta.annotations !== undefined) {
    if (!isStringMap(meta.annotations)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.annotations',
        message: 'Invalid value: annotations must be a map of strings',
      });
    } else {
      let size = 0;
      for (const [key, value] of Object.entries(meta.annotations)) {
        const kp = keyProblem(key);
        if (kp)
          causes.push({
            reason: 'FieldValueInvalid',
            field: 'metadata.annotations',
            message: `Invalid value: "${key}": ${kp}`,
          });
        size += key.length + value.length;
      }
      if (size > maxAnnotationBytes) {
        causes.push({
          reason: 'FieldValueTooLong',
          field: 'metadata.annotations',
          message: `Too long: must have at most ${maxAnnotationBytes} bytes`,
        });
      }
    }
  }
  if (
    meta.finalizers !== undefined &&
    !(Array.isArray(meta.finalizers) && meta.finalizers.every((f) => typeof f === 'string'))
  ) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.finalizers',
      message: 'Invalid value: finalizers must be a list of strings',
    });
  }
  if (meta.ownerReferences !== undefined) {
    const refs = meta.ownerReferences;
    if (!Array.isArray(refs)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.ownerReferences',
        message: 'Invalid value: must be a list',
      });
    } else {
      refs.forEach((ref, i) => {
        for (const field of ['apiVersion', 'kind', 'name', 'uid'] as const) {
          if (typeof ref?.[field] !== 'string' || ref[field] === '') {
            causes.push({
              reason: 'FieldValueRequired',
              field: `metadata.ownerReferences[${i}].${field}`,
              message: 'Required value',
            });
          }
        }
      });
      if (refs.filter((r) => r?.controller === true).length > 1) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: 'metadata.ownerReferences',
          message: 'Invalid value: Only one reference can have Controller set to true',
        });
      }
    }
  }
  return causes;
}

/** Built-in kinds' own field checks (the real server's typed decoding rejects these). */
export function validateBuiltinFields(obj: KubeObject): AdmissionCause[] {
  const causes: AdmissionCause[] = [];
  const mapOfStrings = (field: string) => {
    const value = obj[field];
    if (value !== undefined && value !== null && !isStringMap(value)) {
      causes.push({ reason: 'FieldValueInvalid', field, message: 'Invalid value: must be a map of strings' });
    }
  };
  if (obj.kind === 'Secret' || obj.kind === 'ConfigMap') {
    mapOfStrings('data');
    if (obj.kind === 'ConfigMap') mapOfStrings('binaryData');
    if (obj.kind === 'Secret') mapOfStrings('stringData');
    if (obj.kind === 'Secret' && isStringMap(obj['data'])) {
      for (const [key, value] of Object.entries(obj['data'])) {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
          causes.push({
            reason: 'FieldValueInvalid',
            field: `data[${key}]`,
            message: 'Invalid value: illegal base64 data',
          });
        }
      }
    }
  }
  return causes;
}
