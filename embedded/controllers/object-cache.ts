/**
 * The engine's view of its API server: one shared informer per kind, started on first use, and
 * the answer to "which version and plural serve this kind, under which CAPI contract" read from
 * the CustomResourceDefinitions (contract labels, as CAPI reads them).
 */
import { crdInfoOf } from '../../src/k8s/crd-registry.ts';
import { isKubeObject } from '../../src/k8s/kube-object.ts';
import type { KubeObject } from '../apiserver/admission.ts';
import { Informer, type InformerListener } from './informer.ts';
import type { KubeClient, ResourceType } from './kube-client.ts';
import { type JsonRecord, arrayField, isRecord, recordField } from './object-fields.ts';
import { statusSchemaOf } from './schema-fields.ts';
import { TYPES } from './resource-types.ts';

export type Contract = 'v1beta1' | 'v1beta2';

export interface ResolvedKind {
  type: ResourceType;
  /** Which provider contract the kind's CRD declares: decides the status fields to write. */
  contract: Contract;
  /** The served version's status schema: the engine writes only what it declares. */
  statusSchema?: JsonRecord;
}

/**
 * The version and contract CAPI reads from a CRD, by the gateway's one rule (src/k8s); a CRD
 * without contract labels is judged by its schema — only v1beta2 providers have
 * status.initialization — because the engine must write one set of status fields or the other.
 */
export function resolveFromCrd(crd: KubeObject): ResolvedKind | undefined {
  const info = isKubeObject(crd) ? crdInfoOf(crd) : undefined;
  if (!info) return undefined;
  const { group, kind, plural, namespaced, version } = info;
  let contract: Contract;
  if (info.contract) contract = info.contract;
  else {
    const versions = arrayField(crd, 'spec.versions').filter(isRecord);
    const schema = versions.find((v) => v.name === version);
    contract = recordField(schema, 'schema.openAPIV3Schema.properties.status.properties.initialization')
      ? 'v1beta2'
      : 'v1beta1';
  }
  return {
    type: { group, version, plural, kind, namespaced },
    contract,
    statusSchema: statusSchemaOf(crd, version),
  };
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
