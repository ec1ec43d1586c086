/**
 * The embedded API server's conversion contract: in-process converters the server calls for a
 * CRD whose served versions differ from its storage version, as kube-apiserver calls a CRD's
 * conversion webhook (`spec.conversion.strategy: Webhook`). Requests, responses, list items and
 * watch events in a non-storage version go through the converter; without one a CRD behaves
 * like the real server's `None` strategy (only `apiVersion` changes).
 * The CAPI converters live in embedded/conversion/ and are handed to the server at start.
 */
import type { KubeObject } from './admission.ts';

/** What a converter may ask the server: the apiVersion to write into a v1beta1-style reference. */
export interface ConversionContext {
  /** The served apiVersion for (group, kind): the CRD's storage version; undefined when unknown. */
  apiVersionFor(group: string, kind: string): string | undefined;
}

/** One webhook's worth of conversion for one (group, kind), as a ConversionReview would do it. */
export interface Converter {
  group: string;
  kind: string;
  /** The versions this converter converts between (any to any). */
  versions: string[];
  /** Returns `object` (any of `versions`) as `desiredApiVersion`; throws on objects it cannot convert. */
  convert(object: KubeObject, desiredApiVersion: string, context: ConversionContext): KubeObject;
}

export interface ConverterRegistry {
  lookup(group: string, kind: string): Converter | undefined;
}

export function converterRegistry(converters: Converter[]): ConverterRegistry {
  const byKind = new Map(converters.map((c) => [`${c.kind}.${c.group}`, c]));
  return { lookup: (group, kind) => byKind.get(`${kind}.${group}`) };
}

export const noConverters: ConverterRegistry = { lookup: () => undefined };

/** How a served non-storage version reaches storage and back; set on ResourceType by the registry. */
export interface VersionConversion {
  storageVersion: string;
  /** `conversion: None`: only apiVersion changes, and writes are validated at the request version only. */
  none?: true;
  toStorage(object: KubeObject): KubeObject;
  fromStorage(object: KubeObject): KubeObject;
}
