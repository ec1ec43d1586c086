import type { CrdInfo } from './crd-registry.ts';
import { IndexedStore, type Indexer } from './indexed-store.ts';
import type { KubeObject } from './kube-object.ts';
import type { ListWatchSink, ListWatchStatus } from './list-watch.ts';

/** How a kind's raw objects become cached values: normalise once, index, drop the rest. */
export interface KindCacheSpec<V> {
  transform(object: KubeObject, crd: CrdInfo): V | undefined;
  indexers: Record<string, Indexer<V>>;
  /** The order index buckets are read in. */
  order?: (a: V, b: V) => number;
  onUpsert?(value: V): void;
}

export type KindCacheStatus = { state: 'waiting-for-crd' } | ({ state: 'watching' } & ListWatchStatus);

/** One kind's cache on one management cluster. */
export class KindCache<V> implements ListWatchSink {
  readonly store: IndexedStore<V>;
  status: KindCacheStatus = { state: 'waiting-for-crd' };
  crd: CrdInfo | undefined;

  constructor(private readonly spec: KindCacheSpec<V>) {
    this.store = new IndexedStore(spec.indexers, spec.order);
  }

  private convert(object: KubeObject): V | undefined {
    return this.crd ? this.spec.transform(object, this.crd) : undefined;
  }

  reset(items: KubeObject[]): void {
    const entries: Array<readonly [string, V]> = [];
    for (const object of items) {
      const value = this.convert(object);
      if (value !== undefined)
        entries.push([IndexedStore.key(object.metadata.namespace, object.metadata.name), value]);
    }
    this.store.replaceAll(entries);
    if (this.spec.onUpsert) for (const [, value] of entries) this.spec.onUpsert(value);
  }

  upsert(object: KubeObject): void {
    const value = this.convert(object);
    const key = IndexedStore.key(object.metadata.namespace, object.metadata.name);
    if (value === undefined) {
      this.store.remove(key);
      return;
    }
    this.store.upsert(key, value);
    this.spec.onUpsert?.(value);
  }

  remove(object: KubeObject): void {
    this.store.remove(IndexedStore.key(object.metadata.namespace, object.metadata.name));
  }
}
