/** What the API server knows about one served (group, version, resource). */
import type { KubeObject } from './admission.ts';
import type { VersionConversion } from './conversion.ts';
import type { CompiledCrdVersion } from './schema/types.ts';

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** The status subresource is enabled: main writes keep the stored status and vice versa. */
  status: boolean;
  scale?: ScaleSubresource;
  /** A built-in kind (core, coordination, apiextensions): strategic merge patch applies; no generation. */
  builtin: boolean;
  /** Identity of the stored objects across served versions: `plural.group`. */
  storageKey: string;
  /** Field selectors beyond metadata.name / metadata.namespace. */
  selectableFields: string[];
  /** Verbs other than the usual eight (the create-only access reviews). */
  verbs?: string[];
  /** A create-only kind answered by the authorizer, never stored (access reviews). */
  review?: boolean;
  /** The CRD that defines the kind (custom resources only). */
  crd?: KubeObject;
  check?: CompiledCrdVersion['check'];
  /** A served non-storage version whose objects go through a converter (Webhook strategy). */
  conversion?: VersionConversion;
}

/**
 * The object as a client of `rt` sees it: converted from the storage version when needed. An
 * object a data dir from an older build stored at another version reads at `rt`'s version.
 */
export function served(rt: ResourceType, stored: KubeObject): KubeObject {
  if (rt.conversion) return rt.conversion.fromStorage(stored);
  const apiVersion = apiVersionOf(rt);
  return stored.apiVersion === apiVersion ? stored : { ...stored, apiVersion };
}

export function apiVersionOf(rt: { group: string; version: string }): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}
