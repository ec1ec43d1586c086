/**
 * One CAPI kind's conversion webhook between v1beta1 (spoke) and v1beta2 (hub), built from the
 * kind's spec and status mappings, like CAPI's ConvertTo / ConvertFrom pairs.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import type { ConversionContext, Converter } from '../apiserver/conversion.ts';
import { marshalData, unmarshalData } from './conversion-data.ts';
import { isObject, type Json } from './json.ts';
import { statusToV1beta1, statusToV1beta2, type StatusLayout } from './status.ts';

export interface KindMapping {
  group: string;
  kind: string;
  /** v1beta1 spec → v1beta2 spec (receives a private copy). */
  specToV1beta2?(spec: Json, object: KubeObject): Json;
  /** v1beta2 spec → v1beta1 spec (receives a private copy). */
  specToV1beta1?(spec: Json, object: KubeObject, context: ConversionContext): Json;
  status?: StatusLayout;
  /** Kind-specific status fields beyond the shared layout (after it ran). */
  statusToV1beta2?(status: Json): void;
  statusToV1beta1?(status: Json, object: KubeObject, context: ConversionContext): void;
  /** v1beta2 paths v1beta1 cannot hold: kept in the conversion-data annotation. */
  lossy?: string[][];
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

function toHub(mapping: KindMapping, object: KubeObject, apiVersion: string): KubeObject {
  const out: KubeObject = structuredClone(object);
  out.apiVersion = apiVersion;
  if (isObject(out['spec']) && mapping.specToV1beta2)
    out['spec'] = mapping.specToV1beta2(out['spec'], object);
  if (isObject(out['status'])) {
    const status = mapping.status ? statusToV1beta2(out['status'], mapping.status) : out['status'];
    if (status) mapping.statusToV1beta2?.(status);
    out['status'] = status;
  }
  unmarshalData(object, out, mapping.lossy ?? []);
  return out;
}

function fromHub(
  mapping: KindMapping,
  object: KubeObject,
  apiVersion: string,
  context: ConversionContext,
): KubeObject {
  const out: KubeObject = structuredClone(object);
  out.apiVersion = apiVersion;
  if (isObject(out['spec']) && mapping.specToV1beta1)
    out['spec'] = mapping.specToV1beta1(out['spec'], object, context);
  if (isObject(out['status'])) {
    const status = mapping.status ? statusToV1beta1(out['status'], mapping.status) : out['status'];
    if (status) mapping.statusToV1beta1?.(status, object, context);
    out['status'] = status;
  }
  if (mapping.lossy?.length) marshalData(object, out, toHub(mapping, out, object.apiVersion), mapping.lossy);
  return out;
}

export function kindConverter(mapping: KindMapping): Converter {
  return {
    group: mapping.group,
    kind: mapping.kind,
    versions: ['v1beta1', 'v1beta2'],
    convert(object, desiredApiVersion, context) {
      const from = versionOf(object.apiVersion);
      const to = versionOf(desiredApiVersion);
      if (from === to) return { ...object, apiVersion: desiredApiVersion };
      if (from === 'v1beta1' && to === 'v1beta2') return toHub(mapping, object, desiredApiVersion);
      if (from === 'v1beta2' && to === 'v1beta1') return fromHub(mapping, object, desiredApiVersion, context);
      throw new Error(`cannot convert ${mapping.kind} from ${object.apiVersion} to ${desiredApiVersion}`);
    },
  };
}
