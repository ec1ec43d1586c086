/**
 * An in-memory store of one kind's objects (already transformed into views), with secondary
 * indexes maintained on every change so reads are synchronous map lookups.
 */
export type Indexer<V> = (value: V) => readonly string[];

export class IndexedStore<V> {
  private readonly items = new Map<string, V>();
  private readonly indexes = new Map<string, Map<string, Map<string, V>>>();
  private readonly indexers: ReadonlyArray<readonly [string, Indexer<V>]>;

  constructor(indexers: Record<string, Indexer<V>>) {
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

  /** Values whose indexer `index` produced `key`, in insertion order. */
  byIndex(index: string, key: string): V[] {
    const bucket = this.indexes.get(index)?.get(key);
    return bucket ? [...bucket.values()] : [];
  }

  upsert(key: string, value: V): void {
    this.remove(key);
    this.items.set(key, value);
    for (const [name, indexer] of this.indexers) {
      const index = this.indexes.get(name)!;
      for (const k of indexer(value)) {
        let bucket = index.get(k);
        if (!bucket) index.set(k, (bucket = new Map()));
        bucket.set(key, value);
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
        bucket?.delete(key);
        if (bucket?.size === 0) index.delete(k);
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
