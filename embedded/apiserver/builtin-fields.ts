/**
 * Unknown top-level and metadata fields of built-in kinds, handled per `fieldValidation` as the
 * real server's typed decoding does (Strict: 400; Warn: dropped with a warning; Ignore: dropped).
 */
import type { KubeObject } from './admission.ts';
import { StatusError } from './errors.ts';
import type { FieldValidation } from './schema/types.ts';

const common = ['apiVersion', 'kind', 'metadata'];
const knownFields: Record<string, Set<string>> = {
  ConfigMap: new Set([...common, 'data', 'binaryData', 'immutable']),
  Secret: new Set([...common, 'data', 'stringData', 'type', 'immutable']),
  Namespace: new Set([...common, 'spec', 'status']),
  Lease: new Set([...common, 'spec']),
  CustomResourceDefinition: new Set([...common, 'spec', 'status']),
  Role: new Set([...common, 'rules']),
  ClusterRole: new Set([...common, 'rules', 'aggregationRule']),
  RoleBinding: new Set([...common, 'subjects', 'roleRef']),
  ClusterRoleBinding: new Set([...common, 'subjects', 'roleRef']),
  Event: new Set([
    ...common,
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'type',
    'eventTime',
    'series',
    'action',
    'related',
    'reportingComponent',
    'reportingInstance',
  ]),
};
const knownMetadata = new Set([
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

/** Drops unknown fields from `obj` (in place) and returns the warnings, or throws 400 under Strict. */
export function pruneBuiltinFields(obj: KubeObject, fieldValidation: FieldValidation): string[] {
  const known = knownFields[obj.kind];
  if (!known) return [];
  const unknown = [
    ...Object.keys(obj).filter((k) => !known.has(k)),
    ...Object.keys(obj.metadata)
      .filter((k) => !knownMetadata.has(k))
      .map((k) => `metadata.${k}`),
  ];
  if (!unknown.length) return [];
  if (fieldValidation === 'Strict') {
    throw new StatusError(
      400,
      'BadRequest',
      `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
    );
  }
  for (const field of unknown) {
    if (field.startsWith('metadata.')) delete obj.metadata[field.slice('metadata.'.length)];
    else delete obj[field];
  }
  return fieldValidation === 'Warn' ? unknown.map((f) => `unknown field "${f}"`) : [];
}
