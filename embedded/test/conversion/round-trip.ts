/** Converting test objects with the CAPI converters, and what a v1beta1 object reads back as. */
import type { KubeObject } from '../../apiserver/admission.ts';
import type { ConversionContext, ConverterRegistry } from '../../apiserver/conversion.ts';
import { formatGoDuration, parseGoDuration } from '../../conversion/durations.ts';

/** As on a cluster where every kind's CRD stores v1beta2. */
export const context: ConversionContext = { apiVersionFor: (group) => `${group}/v1beta2` };

export function groupOf(apiVersion: string): string {
  return apiVersion.split('/')[0]!;
}

export function convertTo(converters: ConverterRegistry, object: KubeObject, version: string): KubeObject {
  const group = groupOf(object.apiVersion);
  const converter = converters.lookup(group, object.kind);
  if (!converter) throw new Error(`no converter for ${object.kind}`);
  return converter.convert(structuredClone(object), `${group}/${version}`, context);
}

/** v1beta1 fields v1beta2 dropped (documented in embedded/conversion/README.md). */
const droppedByV1beta2 = new Set([
  'useExperimentalRetryJoin',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'definitionFrom',
]);

/**
 * What CAPI's conversion does to a v1beta1 object on the way back: references carry the
 * apiVersion the kind is served at now (template refs keep theirs) and the object's own
 * namespace; durations come back in
 * Go's canonical form ("20m" → "20m0s"); fields v1beta2 dropped are gone.
 */
export function asReadBack(object: KubeObject): KubeObject {
  const walk = (value: unknown, depth: number, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value)
      .filter(([k]) => !droppedByV1beta2.has(k))
      .map(([k, v]) => {
        if (typeof v === 'string' && /(timeout|Timeout|ForControlPlane|Period|^ttl)$/.test(k))
          return [k, formatGoDuration(parseGoDuration(v) ?? 0)] as const;
        return [k, walk(v, depth + 1, k)] as const;
      });
    const out = Object.fromEntries(entries) as Record<string, unknown>;
    if (depth > 0 && typeof out['apiVersion'] === 'string' && out['kind'] && out['name']) {
      // ClusterClass template refs keep their apiVersion; contract refs get the served one.
      if (key !== 'ref' && key !== 'remediationTemplate')
        out['apiVersion'] = `${groupOf(out['apiVersion'])}/v1beta2`;
      if (object.metadata.namespace) out['namespace'] = object.metadata.namespace;
      else delete out['namespace'];
    }
    return out;
  };
  return walk(object, 0) as KubeObject;
}
