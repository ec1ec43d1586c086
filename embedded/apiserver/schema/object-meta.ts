import { isRecord } from './schema-props.ts';

/** The fields of meta/v1 ObjectMeta: a resource's `metadata` keeps only these, whatever its schema says. */
export const objectMetaFields = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

const listItemFields: Record<string, Set<string>> = {
  ownerReferences: new Set(['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion']),
  managedFields: new Set([
    'manager',
    'operation',
    'apiVersion',
    'time',
    'fieldsType',
    'fieldsV1',
    'subresource',
  ]),
};

/** Drops unknown ObjectMeta fields, recording their paths (they are unknown fields for fieldValidation). */
export function pruneObjectMeta(metadata: unknown, path: string, pruned: string[]): void {
  if (!isRecord(metadata)) return;
  for (const key of Object.keys(metadata)) {
    if (!objectMetaFields.has(key)) {
      delete metadata[key];
      pruned.push(`${path}.${key}`);
    } else if (metadata[key] === null) {
      // Go decodes null into an empty field, which is then omitted.
      delete metadata[key];
    }
  }
  for (const [key, known] of Object.entries(listItemFields)) {
    const list = metadata[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (!isRecord(item)) return;
      for (const field of Object.keys(item)) {
        if (known.has(field)) continue;
        delete item[field];
        pruned.push(`${path}.${key}[${i}].${field}`);
      }
    });
  }
  for (const key of ['labels', 'annotations']) {
    const map = metadata[key];
    if (!isRecord(map)) continue;
    for (const [k, v] of Object.entries(map)) if (v === null) map[k] = '';
  }
}

type GoType = 'string' | 'int64' | 'bool' | 'map[string]string' | '[]string' | 'Time' | 'list' | 'object';

/** Go types of ObjectMeta's fields, for the decoding errors kube-apiserver answers with 400. */
const objectMetaTypes: Record<string, GoType> = {
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  selfLink: 'string',
  uid: 'string',
  resourceVersion: 'string',
  generation: 'int64',
  deletionGracePeriodSeconds: 'int64',
  creationTimestamp: 'Time',
  deletionTimestamp: 'Time',
  labels: 'map[string]string',
  annotations: 'map[string]string',
  finalizers: '[]string',
  ownerReferences: 'list',
  managedFields: 'list',
};

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

function fits(type: GoType, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'Time':
      return typeof value === 'string';
    case 'int64':
      return Number.isInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'map[string]string':
    case 'object':
      return isRecord(value);
    case '[]string':
    case 'list':
      return Array.isArray(value);
  }
}

const unmarshal = (value: unknown, field: string, type: string) =>
  `json: cannot unmarshal ${jsonKind(value)} into Go struct field ObjectMeta.${field} of type ${type}`;

/**
 * The error Go's JSON decoding gives for a `metadata` whose known fields have the wrong JSON
 * type (kube-apiserver answers 400 before any schema check), or undefined.
 */
export function objectMetaDecodeError(metadata: unknown): string | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (!isRecord(metadata))
    return `json: cannot unmarshal ${jsonKind(metadata)} into Go struct field .metadata of type v1.ObjectMeta`;
  for (const [field, type] of Object.entries(objectMetaTypes)) {
    const value = metadata[field];
    if (value === undefined || value === null) continue;
    const goType =
      type === 'list'
        ? `[]v1.${field === 'ownerReferences' ? 'OwnerReference' : 'ManagedFieldsEntry'}`
        : type;
    if (!fits(type, value)) return unmarshal(value, field, type === 'Time' ? 'v1.Time' : goType);
    if (type === 'map[string]string') {
      const bad = Object.values(value as Record<string, unknown>).find(
        (v) => v !== null && typeof v !== 'string',
      );
      if (bad !== undefined) return unmarshal(bad, field, 'string');
    }
    if (type === '[]string') {
      const bad = (value as unknown[]).find((v) => v !== null && typeof v !== 'string');
      if (bad !== undefined) return unmarshal(bad, field, 'string');
    }
  }
  return undefined;
}
