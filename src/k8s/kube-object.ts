/**
 * The one Kubernetes object type, for the gateway and the embedded management cluster alike.
 * Only the fields both read are typed; everything else stays opaque.
 */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Metadata as a writer sends it: the server fills in the name (from generateName), uid, resourceVersion. */
export interface ObjectMetaDraft {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

/** An object as it is written (or admitted, before the server named it). */
export interface KubeObjectDraft {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetaDraft;
  [key: string]: unknown;
}

/** Metadata of a stored object: it has a name and a uid. */
export interface ObjectMeta extends ObjectMetaDraft {
  name: string;
  uid: string;
}

/** An object as the API server stores and lists it. */
export interface KubeObject extends KubeObjectDraft {
  metadata: ObjectMeta;
}

export interface GroupKind {
  group: string;
  kind: string;
}

export function groupKindKey(gk: GroupKind): string {
  return `${gk.kind}.${gk.group}`;
}

/** `group/version` → group ('' for the core group). */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const meta = (value as { metadata?: unknown }).metadata;
  return typeof meta === 'object' && meta !== null && typeof (meta as { name?: unknown }).name === 'string';
}
