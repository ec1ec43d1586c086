/**
 * An in-memory store of one kind's objects (already transformed into views), with secondary
 * indexes maintained on every change so reads are synchronous map lookups. Index buckets are
 * handed out as cached, sorted, read-only arrays: a query touching the same bucket many
 * times allocates nothing.
 */
export type Indexer<V> = (value: V) => readonly string[];

/**
 * The values under one index key. Most keys name one object (a UID, the target of a ref): such
 * a bucket holds its member in two fields — a Map per object would cost more than the object's
 * view — and becomes a Map only when a second member arrives.
 */
class Bucket<V> {
  private key: string | undefined;
  private value: V | undefined;
  private items: Map<string, V> | undefined;
  sorted: readonly V[] | undefined;

  get size(): number {
    return this.items ? this.items.size : this.key === undefined ? 0 : 1;
  }

  set(key: string, value: V): void {
    this.sorted = undefined;
    if (!this.items) {
      if (this.key === undefined || this.key === key) {
        this.key = key;
        this.value = value;
        return;
      }
      this.items = new Map([[this.key, this.value as V]]);
      this.key = undefined;
      this.value = undefined;
    }
    this.items.set(key, value);
  }

  delete(key: string): void {
    this.sorted = undefined;
    if (this.items) this.items.delete(key);
    else if (this.key === key) {
      this.key = undefined;
      this.value = undefined;
    }
  }

  values(): V[] {
    if (this.items) return [...this.items.values()];
    return this.key === undefined ? [] : [this.value as V];
  }
}

const empty: readonly never[] = Object.freeze([]);

/** `namespace/name` → its parts (namespaces never contain a slash). */
function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export class IndexedStore<V> {
  private readonly items = new Map<string, V>();
  /**
   * The same values by namespace, then name: reads with the strings a view already holds
   * hash nothing new (a concatenated key would be built and hashed on every read).
   */
  private readonly byNamespace = new Map<string, Map<string, V>>();
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
    return this.byNamespace.get(namespace ?? '')?.get(name);
  }

  /** The value under a `namespace/name` key (see `key()`). */
  getByKey(key: string): V | undefined {
    return this.items.get(key);
  }

  list(): IterableIterator<V> {
    return this.items.values();
  }

  /** The namespaces holding at least one value ('' for cluster-scoped ones). */
  namespaces(): IterableIterator<string> {
    return this.byNamespace.keys();
  }

  /** Values whose indexer `index` produced `key` (sorted when the store has an order). Do not mutate. */
  byIndex(index: string, key: string): readonly V[] {
    const bucket = this.indexes.get(index)?.get(key);
    if (!bucket) return empty;
    if (!bucket.sorted) {
      const values = bucket.values();
      bucket.sorted = this.order ? values.sort(this.order) : values;
    }
    return bucket.sorted;
  }

  upsert(key: string, value: V): void {
    this.remove(key);
    this.items.set(key, value);
    const { namespace, name } = splitKey(key);
    let names = this.byNamespace.get(namespace);
    if (!names) this.byNamespace.set(namespace, (names = new Map()));
    names.set(name, value);
    for (const [indexName, indexer] of this.indexers) {
      const index = this.indexes.get(indexName)!;
      for (const k of indexer(value)) {
        let bucket = index.get(k);
        if (!bucket) index.set(k, (bucket = new Bucket()));
        bucket.set(key, value);
      }
    }
  }

  remove(key: string): V | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    const { namespace, name } = splitKey(key);
    const names = this.byNamespace.get(namespace);
    names?.delete(name);
    if (names?.size === 0) this.byNamespace.delete(namespace);
    for (const [indexName, indexer] of this.indexers) {
      const index = this.indexes.get(indexName)!;
      for (const k of indexer(old)) {
        const bucket = index.get(k);
        if (!bucket) continue;
        bucket.delete(key);
        if (bucket.size === 0) index.delete(k);
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
