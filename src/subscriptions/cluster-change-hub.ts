import type { CacheChangeEvent } from '../capi/change-event.ts';
import type { ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import type { ObjectAddress } from '../capi/views.ts';
import { foldChange, objectKey } from './coalesce-changes.ts';

/** What one workload Cluster's subscribers hear: its tree changed, or its management cluster. */
export type ClusterMessage =
  | {
      kind: 'changes';
      /** Increases with every batch of the hub; carried by clusterEvents as the cursor. */
      seq: number;
      managementCluster: string;
      cluster: ObjectAddress;
      /** One folded change per object, in order of arrival. */
      changes: CacheChangeEvent[];
    }
  | { kind: 'availability'; managementCluster: string; unavailable: string | null };

export type ClusterListener = (message: ClusterMessage) => void;

export interface ClusterChangeHubOptions {
  /**
   * At most one batch per cluster per this many ms (default 100). A cluster quiet for that long
   * has its next change delivered on the next tick; changes arriving sooner wait until one
   * window after its last batch and go out together, latest state winning. 0: every tick.
   */
  coalesceMs?: number;
  /** How many batches clusterEvents can resume from (default 10,000). */
  historySize?: number;
  /** The clock windows are measured with (ms; tests inject one). */
  now?: () => number;
}

export function clusterKey(
  managementCluster: string,
  address: Pick<ObjectAddress, 'namespace' | 'name'>,
): string {
  return `${managementCluster}/${address.namespace}/${address.name}`;
}

interface Pending {
  managementCluster: string;
  cluster: ObjectAddress;
  changes: Map<string, CacheChangeEvent>;
  /** When this batch may go out: one window after the cluster's previous batch. */
  due: number;
}

/**
 * The one pub/sub every subscription reads: fed by every management cluster's cache (one watch
 * per kind, whatever the number of subscribers), fanned out per workload Cluster, coalesced per
 * Cluster, and kept as a short history of batches for resuming clients.
 */
export class ClusterChangeHub {
  private readonly coalesceMs: number;
  private readonly historySize: number;
  private readonly byCluster = new Map<string, Set<ClusterListener>>();
  private readonly fleet = new Set<ClusterListener>();
  private readonly pending = new Map<string, Pending>();
  /** When each cluster's last batch went out, while that is less than a window ago. */
  private readonly lastSent = new Map<string, number>();
  private readonly now: () => number;
  private readonly unavailable = new Map<string, string | null>();
  private readonly offs: (() => void)[] = [];
  private readonly history: Extract<ClusterMessage, { kind: 'changes' }>[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  private seq = 0;
  /** Cursors name this process: another replica's (or a restarted one's) cursor means resync. */
  readonly epoch = Math.random().toString(36).slice(2, 10);

  constructor(
    private readonly caches: readonly ManagementClusterCache[],
    options: ClusterChangeHubOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? 100;
    this.historySize = options.historySize ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Starts listening to the caches (the first subscription does it: a gateway nobody subscribes
   * to pays nothing per change; once started it stays, so cursors keep resuming).
   */
  start(): void {
    if (this.offs.length > 0) return;
    for (const cache of this.caches) {
      this.offs.push(cache.subscribe((event) => this.received(event)));
      this.offs.push(cache.connection.onChange(() => this.availabilityChanged(cache)));
    }
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.clearTimer();
    this.pending.clear();
    this.lastSent.clear();
  }

  /** Listens to one Cluster's batches (and its management cluster's availability). */
  subscribeCluster(key: string, listener: ClusterListener): () => void {
    this.start();
    let set = this.byCluster.get(key);
    if (!set) this.byCluster.set(key, (set = new Set()));
    const entry: ClusterListener = (m) => listener(m);
    set.add(entry);
    return () => {
      const s = this.byCluster.get(key);
      if (!s) return;
      s.delete(entry);
      if (s.size === 0) this.byCluster.delete(key);
    };
  }

  /** Listens to every Cluster's batches and every availability change. */
  subscribeFleet(listener: ClusterListener): () => void {
    this.start();
    const entry: ClusterListener = (m) => listener(m);
    this.fleet.add(entry);
    return () => {
      this.fleet.delete(entry);
    };
  }

  /** Open subscriptions (each unsubscribe removes its own; none are left behind). */
  get listenerCount(): number {
    let n = this.fleet.size;
    for (const s of this.byCluster.values()) n += s.size;
    return n;
  }

  /** The cursor of the newest batch. */
  cursor(seq = this.seq): string {
    return `${this.epoch}.${seq}`;
  }

  /** Batches after `cursor` (which clusters, not their changes), or null when this hub no longer holds (or never held) them. */
  since(cursor: string): Extract<ClusterMessage, { kind: 'changes' }>[] | null {
    const [epoch, raw] = cursor.split('.');
    const seq = Number(raw);
    if (epoch !== this.epoch || !Number.isInteger(seq) || seq > this.seq) return null;
    const oldest = this.history[0]?.seq ?? this.seq + 1;
    if (seq < oldest - 1) return null;
    return this.history.filter((m) => m.seq > seq);
  }

  /** Delivers every waiting batch now (tests; stop). */
  flush(): void {
    this.clearTimer();
    const batches = [...this.pending.entries()];
    this.pending.clear();
    for (const [key, p] of batches) this.deliver(key, p);
  }

  private received(event: CacheChangeEvent): void {
    if (!event.cluster) return;
    const key = clusterKey(event.managementCluster, event.cluster);
    let p = this.pending.get(key);
    if (!p) {
      const last = this.lastSent.get(key);
      const due = last === undefined ? this.now() : Math.max(this.now(), last + this.coalesceMs);
      p = { managementCluster: event.managementCluster, cluster: event.cluster, changes: new Map(), due };
      this.pending.set(key, p);
      this.schedule(due);
    }
    const k = objectKey(event);
    const folded = foldChange(p.changes.get(k), event);
    if (folded) p.changes.set(k, folded);
    else p.changes.delete(k);
  }

  /** One timer for the hub, set for the earliest batch due. */
  private schedule(due: number): void {
    if (this.timer && this.timerAt <= due) return;
    this.clearTimer();
    this.timerAt = due;
    this.timer = setTimeout(() => this.deliverDue(), Math.max(0, due - this.now()));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  private deliverDue(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.now();
    let next = Infinity;
    for (const [key, p] of this.pending) {
      // A timer may fire a little before the millisecond clock says it is due.
      if (p.due > now + 1) {
        next = Math.min(next, p.due);
        continue;
      }
      this.pending.delete(key);
      this.deliver(key, p);
    }
    for (const [key, at] of this.lastSent) if (at + this.coalesceMs <= now) this.lastSent.delete(key);
    if (next < Infinity) this.schedule(next);
  }

  private deliver(key: string, p: Pending): void {
    if (p.changes.size === 0) return;
    this.lastSent.set(key, this.now());
    const message: Extract<ClusterMessage, { kind: 'changes' }> = {
      kind: 'changes',
      seq: ++this.seq,
      managementCluster: p.managementCluster,
      cluster: p.cluster,
      changes: [...p.changes.values()],
    };
    // The history names what changed, not how: resuming clients read the current state, and
    // holding every view of every batch would keep replaced objects alive.
    this.history.push({ ...message, changes: [] });
    if (this.history.length > this.historySize) this.history.shift();
    this.emit(key, message);
  }

  private availabilityChanged(cache: ManagementClusterCache): void {
    const state = cache.connection.syncState();
    const reason = state.reachable ? null : (state.error?.message ?? 'unreachable');
    const before = this.unavailable.get(cache.name) ?? null;
    if (before === reason || (before !== null && reason !== null)) return;
    this.unavailable.set(cache.name, reason);
    const message: ClusterMessage = {
      kind: 'availability',
      managementCluster: cache.name,
      unavailable: reason,
    };
    for (const [key, set] of this.byCluster)
      if (key.startsWith(`${cache.name}/`)) for (const l of [...set]) this.call(l, message);
    for (const l of [...this.fleet]) this.call(l, message);
  }

  private emit(key: string, message: ClusterMessage): void {
    for (const l of [...(this.byCluster.get(key) ?? [])]) this.call(l, message);
    for (const l of [...this.fleet]) this.call(l, message);
  }

  private call(listener: ClusterListener, message: ClusterMessage): void {
    try {
      listener(message);
    } catch (err) {
      console.error(`capi-gateway: a subscription listener failed: ${(err as Error).message}`);
    }
  }
}
