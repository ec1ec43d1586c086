/**
 * One list+watch per kind with an indexed in-memory store, shared by every controller (as
 * controller-runtime's shared informers are). The list+watch loop is the gateway's (src/k8s:
 * relists on 410 Gone, backs off and retries on anything else); writes the engine makes are put
 * into the store at once so the next reconcile does not act on a stale view.
 */
import { exponentialBackoff } from '../../src/k8s/backoff.ts';
import { ResilientListWatch } from '../../src/k8s/list-watch.ts';
import type { KubeObject } from '../apiserver/admission.ts';
import type { KubeClient, ResourceType } from './kube-client.ts';
import { LABELS } from './labels.ts';

type StoreEvent = 'MODIFIED' | 'DELETED';

export type InformerEvent = 'add' | 'update' | 'delete';
export type InformerListener = (event: InformerEvent, object: KubeObject) => void;

export function objectKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

function isNewer(candidate: KubeObject, current: KubeObject | undefined): boolean {
  if (!current) return true;
  const a = Number(candidate.metadata.resourceVersion);
  const b = Number(current.metadata.resourceVersion);
  return Number.isNaN(a) || Number.isNaN(b) || a >= b;
}

/** Index values of an object: its cluster (namespace/cluster-name) and its owners' uids. */
function indexEntries(object: KubeObject): string[] {
  const entries: string[] = [];
  const cluster = object.metadata.labels?.[LABELS.clusterName];
  if (cluster) entries.push(`cluster:${objectKey(object.metadata.namespace, cluster)}`);
  for (const owner of object.metadata.ownerReferences ?? []) entries.push(`owner:${owner.uid}`);
  return entries;
}

export class Informer {
  private readonly store = new Map<string, KubeObject>();
  private readonly index = new Map<string, Set<string>>();
  private readonly listeners: InformerListener[] = [];
  private readonly loop: ResilientListWatch;
  private syncedFlag = false;
  private readonly syncWaiters: Array<() => void> = [];
  /** uids seen deleted: a late write response must not bring them back. */
  private readonly tombstones = new Set<string>();

  constructor(
    client: KubeClient,
    readonly type: ResourceType,
  ) {
    this.loop = new ResilientListWatch(
      client.transport,
      type,
      {
        reset: (items) => this.replace(items),
        upsert: (object) => this.apply('MODIFIED', this.typed(object)),
        remove: (object) => this.apply('DELETED', this.typed(object)),
      },
      {
        backoff: exponentialBackoff(100, 5_000),
        onStatus: (status) => {
          if (status.listed) this.markSynced();
        },
      },
    );
  }

  get synced(): boolean {
    return this.syncedFlag;
  }

  onEvent(listener: InformerListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.loop.start();
  }

  stop(): void {
    void this.loop.stop();
  }

  whenSynced(): Promise<void> {
    return this.syncedFlag ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(objectKey(this.type.namespaced ? namespace : undefined, name));
  }

  all(): IterableIterator<KubeObject> {
    return this.store.values();
  }

  /** Objects labelled with this cluster name in this namespace. */
  byCluster(namespace: string | undefined, clusterName: string): KubeObject[] {
    return this.lookup(`cluster:${objectKey(namespace, clusterName)}`);
  }

  /** Objects with an ownerReference to this uid. */
  byOwner(uid: string | undefined): KubeObject[] {
    return uid ? this.lookup(`owner:${uid}`) : [];
  }

  /** Puts an object the engine just wrote into the store (the watch event follows later). */
  remember(object: KubeObject): void {
    object.apiVersion ??= `${this.type.group}/${this.type.version}`;
    object.kind ??= this.type.kind;
    const gone =
      object.metadata.deletionTimestamp !== undefined && (object.metadata.finalizers ?? []).length === 0;
    this.apply(gone ? 'DELETED' : 'MODIFIED', object);
  }

  forget(object: KubeObject): void {
    this.apply('DELETED', object);
  }

  private lookup(indexKey: string): KubeObject[] {
    const keys = this.index.get(indexKey);
    if (!keys) return [];
    const found: KubeObject[] = [];
    for (const key of keys) {
      const object = this.store.get(key);
      if (object) found.push(object);
    }
    return found;
  }

  private keyOf(object: KubeObject): string {
    return objectKey(this.type.namespaced ? object.metadata.namespace : undefined, object.metadata.name);
  }

  private unindex(key: string, object: KubeObject): void {
    for (const entry of indexEntries(object)) {
      const keys = this.index.get(entry);
      keys?.delete(key);
      if (keys?.size === 0) this.index.delete(entry);
    }
  }

  /** Lists carry no apiVersion/kind per item (watch events do). */
  private typed(object: KubeObject): KubeObject {
    object.apiVersion ||= `${this.type.group}/${this.type.version}`;
    object.kind ||= this.type.kind;
    return object;
  }

  private markSynced(): void {
    if (this.syncedFlag) return;
    this.syncedFlag = true;
    for (const resolve of this.syncWaiters.splice(0)) resolve();
  }

  /** A (re)list: every listed object as a change, and whatever the list no longer holds as deleted. */
  private replace(items: KubeObject[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(this.keyOf(item));
      this.apply('MODIFIED', this.typed(item));
    }
    for (const [key, object] of [...this.store]) if (!seen.has(key)) this.apply('DELETED', object);
  }

  private apply(event: StoreEvent, object: KubeObject): void {
    const key = this.keyOf(object);
    const current = this.store.get(key);
    if (event === 'DELETED') {
      if (object.metadata.uid) this.rememberTombstone(object.metadata.uid);
      if (!current) return;
      this.store.delete(key);
      this.unindex(key, current);
      this.emit('delete', current);
      return;
    }
    if (object.metadata.uid && this.tombstones.has(object.metadata.uid)) return;
    if (!isNewer(object, current)) return;
    if (
      current &&
      current.metadata.resourceVersion === object.metadata.resourceVersion &&
      current.metadata.uid === object.metadata.uid
    )
      return;
    if (current) this.unindex(key, current);
    this.store.set(key, object);
    for (const entry of indexEntries(object)) {
      let keys = this.index.get(entry);
      if (!keys) this.index.set(entry, (keys = new Set()));
      keys.add(key);
    }
    this.emit(current ? 'update' : 'add', object);
  }

  private rememberTombstone(uid: string): void {
    this.tombstones.add(uid);
    if (this.tombstones.size > 10_000) {
      const oldest = this.tombstones.values().next().value;
      if (oldest !== undefined) this.tombstones.delete(oldest);
    }
  }

  private emit(event: InformerEvent, object: KubeObject): void {
    for (const listener of this.listeners) listener(event, object);
  }
}
