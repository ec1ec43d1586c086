/**
 * The object store: every object of every resource in memory, indexed by resource, namespace
 * and name, with one global monotonic resourceVersion, an owner-UID index for garbage
 * collection, a bounded history ring for watches, and an optional write-ahead log.
 * Stored objects are never mutated: writers replace them, so readers and watch events can
 * share them, and each keeps its JSON serialisation once computed.
 */
import type { KubeObject } from './admission.ts';
import { WriteAheadLog, type WalRecord } from './wal.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export class StoredObject {
  private json: string | undefined;
  constructor(readonly obj: KubeObject) {}
  /** The object serialised once; `apiVersion` rewritten when another served version is asked for. */
  serialize(apiVersion: string): string {
    if (apiVersion !== this.obj.apiVersion) return JSON.stringify({ ...this.obj, apiVersion });
    this.json ??= JSON.stringify(this.obj);
    return this.json;
  }
}

export interface StoreEvent {
  rv: number;
  /** Storage key of the resource (`plural.group`). */
  key: string;
  type: WatchEventType;
  object: StoredObject;
  /** The state before a MODIFIED event (watches with selectors turn it into ADDED/DELETED). */
  previous?: StoredObject;
}

export type StoreListener = (event: StoreEvent) => void;

class Bucket {
  /** namespace ('' for cluster-scoped) → name → object */
  readonly byNamespace = new Map<string, Map<string, StoredObject>>();
  private sorted: StoredObject[] | undefined;
  private sortedKeys: Array<[string, string]> | undefined;
  size = 0;

  get(namespace: string, name: string): StoredObject | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  set(namespace: string, name: string, object: StoredObject): boolean {
    let names = this.byNamespace.get(namespace);
    if (!names) {
      names = new Map();
      this.byNamespace.set(namespace, names);
    }
    const isNew = !names.has(name);
    names.set(name, object);
    if (isNew) {
      this.size++;
      this.sortedKeys = undefined;
    }
    this.sorted = undefined;
    return isNew;
  }

  delete(namespace: string, name: string): boolean {
    const names = this.byNamespace.get(namespace);
    if (!names?.delete(name)) return false;
    if (names.size === 0) this.byNamespace.delete(namespace);
    this.size--;
    this.sortedKeys = undefined;
    this.sorted = undefined;
    return true;
  }

  /** All objects ordered by namespace then name, as the real server (etcd keys) orders them. */
  all(namespace?: string): StoredObject[] {
    if (namespace !== undefined) {
      const names = this.byNamespace.get(namespace);
      if (!names) return [];
      return [...names.keys()].sort().map((n) => names.get(n) as StoredObject);
    }
    if (!this.sorted) {
      this.sortedKeys ??= [...this.byNamespace.entries()]
        .flatMap(([ns, names]) => [...names.keys()].map((n): [string, string] => [ns, n]))
        .sort((a, b) => (a[0] === b[0] ? compare(a[1], b[1]) : compare(a[0], b[0])));
      this.sorted = this.sortedKeys.map(([ns, n]) => this.get(ns, n) as StoredObject);
    }
    return this.sorted;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface StoreOptions {
  /** How many events the watch history keeps; older resourceVersions get 410 Expired. */
  historySize: number;
  wal?: WriteAheadLog;
}

export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly uids = new Map<string, string>();
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  private readonly listeners = new Set<StoreListener>();
  private rv = 0;
  private wal: WriteAheadLog | undefined;
  /** The oldest resourceVersion a watch can still resume from. */
  private oldestWatchable = 0;

  constructor(private readonly options: StoreOptions) {
    this.wal = options.wal;
  }

  /** Replays a write-ahead log into an empty store, then compacts and attaches it. */
  static async open(
    path: string | undefined,
    historySize: number,
    compactionFloorBytes?: number,
  ): Promise<ObjectStore> {
    const store = new ObjectStore({ historySize });
    if (!path) return store;
    for (const record of await WriteAheadLog.replay(path)) store.applyRecord(record);
    store.oldestWatchable = store.rv;
    store.wal = await WriteAheadLog.compactAndOpen(path, store.snapshotRecords(), compactionFloorBytes);
    return store;
  }

  private applyRecord(record: WalRecord): void {
    this.rv = Math.max(this.rv, record.v);
    if ('o' in record) {
      const obj = record.o as KubeObject;
      this.put(record.k, obj);
    } else if ('d' in record) {
      this.remove(record.k, record.d[0], record.d[1]);
    }
  }

  private *snapshotRecords(): Iterable<WalRecord> {
    yield { v: this.rv };
    for (const [key, bucket] of this.buckets) {
      for (const stored of bucket.all())
        yield { v: Number(stored.obj.metadata.resourceVersion) || 0, k: key, o: stored.obj };
    }
  }

  /**
   * Watches cannot resume from before this point — like the real server, whose watch cache starts
   * at the resourceVersion it read when it started: called once start-up writes are done.
   */
  startWatchHistory(): void {
    this.oldestWatchable = Math.max(this.oldestWatchable, this.rv);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  nextResourceVersion(): number {
    return ++this.rv;
  }

  get(key: string, namespace: string, name: string): StoredObject | undefined {
    return this.buckets.get(key)?.get(namespace, name);
  }

  list(key: string, namespace?: string): StoredObject[] {
    return this.buckets.get(key)?.all(namespace) ?? [];
  }

  /** Every stored object of every resource (start-up scans). */
  *everything(): Iterable<KubeObject> {
    for (const bucket of this.buckets.values()) for (const stored of bucket.all()) yield stored.obj;
  }

  count(key: string): number {
    return this.buckets.get(key)?.size ?? 0;
  }

  namespacesOf(key: string): string[] {
    return [...(this.buckets.get(key)?.byNamespace.keys() ?? [])];
  }

  /** Where the object with `uid` lives, if it exists. */
  locate(uid: string): { key: string; namespace: string; name: string } | undefined {
    const ref = this.uids.get(uid);
    if (!ref) return undefined;
    const [key, namespace, name] = ref.split('\0') as [string, string, string];
    return { key, namespace, name };
  }

  /** Storage keys of objects that name `uid` as an owner: `key\0namespace\0name`. */
  dependentsOf(uid: string): Array<{ key: string; namespace: string; name: string }> {
    return [...(this.owners.get(uid) ?? [])].map((ref) => {
      const [key, namespace, name] = ref.split('\0') as [string, string, string];
      return { key, namespace, name };
    });
  }

  /** Stores `obj` (already carrying its new resourceVersion) and makes it durable. */
  write(key: string, obj: KubeObject): Promise<void> {
    const previous = this.get(key, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    const type = this.put(key, obj);
    const rv = Number(obj.metadata.resourceVersion);
    this.record({
      rv,
      key,
      type,
      object: this.get(key, obj.metadata.namespace ?? '', obj.metadata.name ?? '') as StoredObject,
      ...(previous ? { previous } : {}),
    });
    return this.appendToLog({ v: rv, k: key, o: obj });
  }

  /** Removes an object; `final` is the object as last seen, carrying the deletion's resourceVersion. */
  delete(key: string, final: KubeObject): Promise<void> {
    const namespace = final.metadata.namespace ?? '';
    const name = final.metadata.name ?? '';
    if (!this.remove(key, namespace, name)) return Promise.resolve();
    const rv = Number(final.metadata.resourceVersion);
    this.record({ rv, key, type: 'DELETED', object: new StoredObject(final) });
    return this.appendToLog({ v: rv, k: key, d: [namespace, name] });
  }

  private appendToLog(record: WalRecord): Promise<void> {
    if (!this.wal) return Promise.resolve();
    const durable = this.wal.append(record);
    // The snapshot is taken in this tick, so it holds exactly the state every appended record built.
    if (this.wal.needsCompaction) void this.wal.compact([...this.snapshotRecords()]);
    return durable;
  }

  private put(key: string, obj: KubeObject): WatchEventType {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Bucket();
      this.buckets.set(key, bucket);
    }
    const namespace = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const previous = bucket.get(namespace, name);
    if (previous) this.unindexOwners(key, previous.obj);
    bucket.set(namespace, name, new StoredObject(obj));
    this.indexOwners(key, obj);
    if (obj.metadata.uid) this.uids.set(obj.metadata.uid, this.ownerRef(key, obj));
    return previous ? 'MODIFIED' : 'ADDED';
  }

  private remove(key: string, namespace: string, name: string): boolean {
    const bucket = this.buckets.get(key);
    const previous = bucket?.get(namespace, name);
    if (!bucket || !previous) return false;
    this.unindexOwners(key, previous.obj);
    if (previous.obj.metadata.uid) this.uids.delete(previous.obj.metadata.uid);
    bucket.delete(namespace, name);
    return true;
  }

  private ownerRef(key: string, obj: KubeObject): string {
    return `${key}\0${obj.metadata.namespace ?? ''}\0${obj.metadata.name ?? ''}`;
  }

  private indexOwners(key: string, obj: KubeObject): void {
    for (const owner of obj.metadata.ownerReferences ?? []) {
      let set = this.owners.get(owner.uid);
      if (!set) {
        set = new Set();
        this.owners.set(owner.uid, set);
      }
      set.add(this.ownerRef(key, obj));
    }
  }

  private unindexOwners(key: string, obj: KubeObject): void {
    for (const owner of obj.metadata.ownerReferences ?? []) {
      const set = this.owners.get(owner.uid);
      set?.delete(this.ownerRef(key, obj));
      if (set?.size === 0) this.owners.delete(owner.uid);
    }
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length - this.historyStart > this.options.historySize) {
      this.historyStart++;
      // Compact the ring lazily so shifting stays amortised O(1).
      if (this.historyStart > this.options.historySize) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
      this.oldestWatchable = this.history[this.historyStart]!.rv - 1;
    }
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Events after `rv` for `key`, or undefined when `rv` is older than the retained history
   * (the caller answers 410 Expired).
   */
  eventsSince(key: string, rv: number): StoreEvent[] | undefined {
    if (rv < this.oldestWatchable) return undefined;
    const events: StoreEvent[] = [];
    for (let i = this.history.length - 1; i >= this.historyStart; i--) {
      const event = this.history[i]!;
      if (event.rv <= rv) break;
      if (event.key === key) events.push(event);
    }
    return events.reverse();
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops every object of a resource (its CRD is gone), emitting DELETED events. */
  async dropResource(key: string, deletionRv: () => number): Promise<void> {
    const writes = this.list(key).map((stored) => {
      const final = {
        ...stored.obj,
        metadata: { ...stored.obj.metadata, resourceVersion: String(deletionRv()) },
      };
      return this.delete(key, final);
    });
    await Promise.all(writes);
    this.buckets.delete(key);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.wal?.close();
  }
}
