/**
 * One list+watch per kind with an indexed in-memory store, shared by every controller (as
 * controller-runtime's shared informers are). Relists on 410 Gone or a broken watch; writes the
 * engine makes are put into the store at once so the next reconcile does not act on a stale view.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import type { KubeClient, ResourceType, WatchEventType, WatchHandle } from './kube-client.ts';
import { LABELS } from './labels.ts';

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
  private watch: WatchHandle | undefined;
  private resourceVersion = '';
  private stopped = false;
  private backoffMs = 100;
  private syncedFlag = false;
  private readonly syncWaiters: Array<() => void> = [];
  /** uids seen deleted: a late write response must not bring them back. */
  private readonly tombstones = new Set<string>();

  constructor(
    private readonly client: KubeClient,
    readonly type: ResourceType,
  ) {}

  get synced(): boolean {
    return this.syncedFlag;
  }

  onEvent(listener: InformerListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
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

  private apply(event: WatchEventType, object: KubeObject): void {
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

  private async relist(): Promise<void> {
    if (this.stopped) return;
    const listed = await this.client.list(this.type);
    if (this.stopped) return;
    if (!listed.ok) {
      this.retryLater(() => this.relist());
      return;
    }
    const seen = new Set<string>();
    for (const item of listed.value.items) {
      seen.add(this.keyOf(item));
      this.apply('MODIFIED', item);
    }
    for (const [key, object] of [...this.store]) if (!seen.has(key)) this.apply('DELETED', object);
    this.resourceVersion = listed.value.resourceVersion;
    this.backoffMs = 100;
    if (!this.syncedFlag) {
      this.syncedFlag = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
    await this.startWatch();
  }

  private async startWatch(): Promise<void> {
    if (this.stopped) return;
    let gone = false;
    try {
      this.watch = await this.client.watch(
        this.type,
        this.resourceVersion,
        (event, object) => {
          if (event === 'ERROR') {
            gone = true;
            return;
          }
          const version = object.metadata?.resourceVersion;
          if (version) this.resourceVersion = version;
          if (event !== 'BOOKMARK') this.apply(event, object);
        },
        (error) => {
          if (this.stopped) return;
          if (gone) this.retryLater(() => this.relist());
          else if (error) this.retryLater(() => this.relist());
          else void this.startWatch();
        },
      );
    } catch {
      this.retryLater(() => this.relist());
    }
  }

  private retryLater(action: () => Promise<void>): void {
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
    setTimeout(() => void action(), delay).unref();
  }
}
