/**
 * The engine's view of its API server: one shared informer per kind, started on first use, and
 * the answer to "which version and plural serve this kind, under which CAPI contract" read from
 * the CustomResourceDefinitions (contract labels, as CAPI reads them).
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { Informer, type InformerListener } from './informer.ts';
import type { KubeClient, ResourceType } from './kube-client.ts';
import { arrayField, isRecord, recordField, stringField } from './object-fields.ts';
import { TYPES, compareApiVersions } from './resource-types.ts';

export type Contract = 'v1beta1' | 'v1beta2';

export interface ResolvedKind {
  type: ResourceType;
  /** Which provider contract the kind's CRD declares: decides the status fields to write. */
  contract: Contract;
}

function newestOf(label: string | undefined): string | undefined {
  if (!label) return undefined;
  return label.split('_').filter(Boolean).sort(compareApiVersions).at(-1);
}

export function resolveFromCrd(crd: KubeObject): ResolvedKind | undefined {
  const group = stringField(crd, 'spec.group');
  const kind = stringField(crd, 'spec.names.kind');
  const plural = stringField(crd, 'spec.names.plural');
  if (!group || !kind || !plural) return undefined;
  const labels = crd.metadata.labels ?? {};
  const versions = arrayField(crd, 'spec.versions').filter(isRecord);
  const served = versions.filter((v) => v.served !== false).map((v) => String(v.name));
  const labelled =
    newestOf(labels['cluster.x-k8s.io/v1beta2']) ?? newestOf(labels['cluster.x-k8s.io/v1beta1']);
  const storage = versions.find((v) => v.storage === true)?.name;
  const version =
    labelled && served.includes(labelled)
      ? labelled
      : typeof storage === 'string'
        ? storage
        : served.sort(compareApiVersions).at(-1);
  if (!version) return undefined;
  let contract: Contract;
  if (labels['cluster.x-k8s.io/v1beta2']) contract = 'v1beta2';
  else if (labels['cluster.x-k8s.io/v1beta1']) contract = 'v1beta1';
  else {
    // No contract label: judge by the schema — only v1beta2 providers have status.initialization.
    const schema = versions.find((v) => v.name === version);
    contract = recordField(schema, 'schema.openAPIV3Schema.properties.status.properties.initialization')
      ? 'v1beta2'
      : 'v1beta1';
  }
  const namespaced = stringField(crd, 'spec.scope') !== 'Cluster';
  return { type: { group, version, plural, kind, namespaced }, contract };
}

export class ObjectCache {
  private readonly informers = new Map<string, Informer>();
  private readonly kinds = new Map<string, ResolvedKind>();
  private readonly listeners: Array<(informer: Informer) => void> = [];
  readonly crds: Informer;

  constructor(private readonly client: KubeClient) {
    this.crds = this.informer(TYPES.customResourceDefinition);
    this.crds.onEvent((event, crd) => {
      const resolved = resolveFromCrd(crd);
      if (!resolved) return;
      const key = `${resolved.type.group}/${resolved.type.kind}`;
      if (event === 'delete') this.kinds.delete(key);
      else this.kinds.set(key, resolved);
    });
  }

  /** Called for every informer, existing and future: the engine routes events from here. */
  onInformer(listener: (informer: Informer) => void): void {
    this.listeners.push(listener);
    for (const informer of this.informers.values()) listener(informer);
  }

  informer(type: ResourceType): Informer {
    const key = `${type.group}/${type.plural}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer(this.client, type);
      this.informers.set(key, informer);
      for (const listener of this.listeners) listener(informer);
      informer.start();
    }
    return informer;
  }

  onEvent(type: ResourceType, listener: InformerListener): void {
    this.informer(type).onEvent(listener);
  }

  resolve(apiGroup: string, kind: string): ResolvedKind | undefined {
    return this.kinds.get(`${apiGroup}/${kind}`);
  }

  /** The informer for a referenced kind, or undefined while its CRD is unknown. */
  informerForKind(apiGroup: string, kind: string): Informer | undefined {
    const resolved = this.resolve(apiGroup, kind);
    return resolved ? this.informer(resolved.type) : undefined;
  }

  /** Reads a referenced object; `pending` while the kind's informer has not listed yet. */
  getRef(
    apiGroup: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): { state: 'found'; object: KubeObject } | { state: 'missing' } | { state: 'pending' } {
    const informer = this.informerForKind(apiGroup, kind);
    if (!informer) return this.crds.synced ? { state: 'missing' } : { state: 'pending' };
    if (!informer.synced) return { state: 'pending' };
    const object = informer.get(namespace, name);
    return object ? { state: 'found', object } : { state: 'missing' };
  }

  stop(): void {
    for (const informer of this.informers.values()) informer.stop();
  }
}
