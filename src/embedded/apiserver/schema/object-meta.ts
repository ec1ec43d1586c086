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

/** Drops unknown ObjectMeta fields, recording their paths (they are unknown fields for fieldValidation). */
export function pruneObjectMeta(metadata: unknown, path: string, pruned: string[]): void {
  if (!isRecord(metadata)) return;
  for (const key of Object.keys(metadata)) {
    if (!objectMetaFields.has(key)) {
      delete metadata[key];
      pruned.push(`${path}.${key}`);
    }
  }
}
