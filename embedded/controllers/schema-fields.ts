/**
 * What a kind's CRD schema keeps of what the engine writes. The API server prunes fields its
 * schema lacks; writing them anyway makes every reconcile see a difference and write again, and
 * hides that the engine relies on a field the real provider does not have. Kinds differ (CAPI
 * v1.14's DockerMachinePool keeps `instances[].instanceName`, CAPA's AWSMachinePool only
 * `instances[].instanceID`), so the engine writes through the served version's schema.
 */
import { type JsonRecord, isRecord } from './object-fields.ts';

/** Drops, in place, the fields `schema` (an openAPIV3Schema node) does not declare. */
export function pruneToSchema(value: unknown, schema: JsonRecord | undefined): void {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    const items = isRecord(schema.items) ? schema.items : undefined;
    for (const item of value) pruneToSchema(item, items);
    return;
  }
  if (!isRecord(value)) return;
  const properties = isRecord(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  if (!properties && additional === undefined) return; // a free-form object
  for (const key of Object.keys(value)) {
    const child = properties?.[key] ?? additional;
    if (child === true) continue;
    if (!isRecord(child)) delete value[key];
    else pruneToSchema(value[key], child);
  }
}

/** The status schema of the CRD's served `version`, when it declares one. */
export function statusSchemaOf(crd: unknown, version: string): JsonRecord | undefined {
  const spec = isRecord(crd) && isRecord(crd.spec) ? crd.spec : undefined;
  const versions = Array.isArray(spec?.versions) ? spec.versions.filter(isRecord) : [];
  const schema = versions.find((v) => v.name === version)?.schema;
  const root = isRecord(schema) && isRecord(schema.openAPIV3Schema) ? schema.openAPIV3Schema : undefined;
  const properties = isRecord(root?.properties) ? root.properties : undefined;
  return isRecord(properties?.status) ? properties.status : undefined;
}
