/**
 * An in-memory store of one kind's objects (already transformed into views), with secondary
 * indexes maintained on every change so reads are synchronous map lookups. Index buckets are
 * handed out as cached, sorted, read-only arrays: a query touching the same bucket many
 * times allocates nothing.
 */
export type Indexer<V> = (value: V) => readonly string[];

interface Bucket<V> {
  items: Map<string, V>;
  sorted: readonly V[] | undefined;
}

const empty: readonly never[] = Object.freeze([]);

export class IndexedStore<V> {
  private readonly items = new Map<string, V>();
  private readonly indexes = new Map<string, Map<string, Bucket<V>>>();
  private readonly indexers: ReadonlyArray<readonly [string, Indexer<V>]>;

  constructor(
    indexers: Record<string, Indexer<V>>,
    private readonly order?: (a: V, b: V) => number,
  ) {
    this.indexers = Object.entries(indexers);
    for (const [name] of this.indexers) this.indexes.set(name, new Map());
  }

  static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  get size(): number {
    return this.items.size;
  }

  get(namespace: string | undefined, name: string): V | undefined {
    return this.items.get(IndexedStore.key(namespace, name));
  }

  list(): IterableIterator<V> {
    return this.items.values();
  }

  /** Values whose indexer `index` produced `key` (sorted when the store has an order). Do not mutate. */
  byIndex(index: string, key: string): readonly V[] {
    const bucket = this.indexes.get(index)?.get(key);
    if (!bucket) return empty;
    if (!bucket.sorted) {
      const values = [...bucket.items.values()];
      bucket.sorted = this.order ? values.sort(this.order) : values;
    }
    return bucket.sorted;
  }

  upsert(key: string, value: V): void {
    this.remove(key);
    this.items.set(key, value);
    for (const [name, indexer] of this.indexers) {
      const index = this.indexes.get(name)!;
      for (const k of indexer(value)) {
        let bucket = index.get(k);
        if (!bucket) index.set(k, (bucket = { items: new Map(), sorted: undefined }));
        bucket.items.set(key, value);
        bucket.sorted = undefined;
      }
    }
  }

  remove(key: string): V | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    for (const [name, indexer] of this.indexers) {
      const index = this.indexes.get(name)!;
      for (const k of indexer(old)) {
        const bucket = index.get(k);
        if (!bucket) continue;
        bucket.items.delete(key);
        bucket.sorted = undefined;
        if (bucket.items.size === 0) index.delete(k);
      }
    }
    return old;
  }

  /** Replaces the whole content (after a relist): objects gone from the list are dropped. */
  replaceAll(entries: Iterable<readonly [string, V]>): void {
    const next = new Map(entries);
    for (const key of [...this.items.keys()]) if (!next.has(key)) this.remove(key);
    for (const [key, value] of next) this.upsert(key, value);
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }
}
