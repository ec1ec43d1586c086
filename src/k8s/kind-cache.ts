import type { CrdInfo } from './crd-registry.ts';
import { IndexedStore, type Indexer } from './indexed-store.ts';
import type { KubeObject } from './kube-object.ts';
import type { ListWatchSink, ListWatchStatus } from './list-watch.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change of a cached value: `old` is absent for ADDED, `new` for DELETED. */
export interface KindChange<V> {
  type: ChangeType;
  /** `namespace/name` (IndexedStore.key). */
  key: string;
  old: V | undefined;
  new: V | undefined;
  /** The object's resourceVersion after the change ('' when the server sent none). */
  resourceVersion: string;
}

/** How a kind's raw objects become cached values: normalise once, index, drop the rest. */
export interface KindCacheSpec<V> {
  transform(object: KubeObject, crd: CrdInfo): V | undefined;
  indexers: Record<string, Indexer<V>>;
  /** The order index buckets are read in. */
  order?: (a: V, b: V) => number;
  /** Called after the store holds the change, once per object that changed. */
  onChange?(change: KindChange<V>): void;
}

export type KindCacheStatus = { state: 'waiting-for-crd' } | ({ state: 'watching' } & ListWatchStatus);

function keyOf(object: KubeObject): string {
  return IndexedStore.key(object.metadata.namespace, object.metadata.name);
}

/**
 * One kind's cache on one management cluster. Every list and watch event becomes the change
 * it makes: a relist is compared with what is cached (no ADDED for known objects, DELETED for
 * those gone, MODIFIED only when the resourceVersion moved), so listeners see each change once.
 */
export class KindCache<V> implements ListWatchSink {
  readonly store: IndexedStore<V>;
  status: KindCacheStatus = { state: 'waiting-for-crd' };
  crd: CrdInfo | undefined;
  /** resourceVersion per cached key: views need not carry it. */
  private readonly versions = new Map<string, string>();

  constructor(private readonly spec: KindCacheSpec<V>) {
    this.store = new IndexedStore(spec.indexers, spec.order);
  }

  private convert(object: KubeObject): V | undefined {
    return this.crd ? this.spec.transform(object, this.crd) : undefined;
  }

  reset(items: KubeObject[]): void {
    const next = new Map<string, { value: V; resourceVersion: string }>();
    for (const object of items) {
      const value = this.convert(object);
      if (value !== undefined)
        next.set(keyOf(object), { value, resourceVersion: object.metadata.resourceVersion ?? '' });
    }
    const changes: Array<KindChange<V>> = [];
    for (const key of this.store.keys()) {
      if (next.has(key)) continue;
      changes.push({
        type: 'DELETED',
        key,
        old: this.store.getByKey(key),
        new: undefined,
        resourceVersion: this.versions.get(key) ?? '',
      });
    }
    for (const [key, { value, resourceVersion }] of next) {
      const old = this.store.getByKey(key);
      if (old === undefined) changes.push({ type: 'ADDED', key, old, new: value, resourceVersion });
      else if (this.versions.get(key) !== resourceVersion)
        changes.push({ type: 'MODIFIED', key, old, new: value, resourceVersion });
    }
    // Unchanged objects are stored again too: a new CRD version may normalise them differently.
    this.store.replaceAll([...next].map(([key, { value }]) => [key, value] as const));
    this.versions.clear();
    for (const [key, { resourceVersion }] of next) this.versions.set(key, resourceVersion);
    this.emit(changes);
  }

  upsert(object: KubeObject): void {
    const value = this.convert(object);
    if (value === undefined) {
      this.remove(object);
      return;
    }
    const key = keyOf(object);
    const resourceVersion = object.metadata.resourceVersion ?? '';
    const old = this.store.getByKey(key);
    const known = this.versions.get(key);
    this.store.upsert(key, value);
    this.versions.set(key, resourceVersion);
    if (old === undefined) this.emit([{ type: 'ADDED', key, old, new: value, resourceVersion }]);
    else if (known !== resourceVersion || resourceVersion === '')
      this.emit([{ type: 'MODIFIED', key, old, new: value, resourceVersion }]);
  }

  remove(object: KubeObject): void {
    const key = keyOf(object);
    const old = this.store.remove(key);
    const known = this.versions.get(key) ?? '';
    this.versions.delete(key);
    if (old === undefined) return;
    const resourceVersion = object.metadata.resourceVersion ?? known;
    this.emit([{ type: 'DELETED', key, old, new: undefined, resourceVersion }]);
  }

  private emit(changes: Array<KindChange<V>>): void {
    if (!this.spec.onChange) return;
    for (const change of changes) this.spec.onChange(change);
  }
}
