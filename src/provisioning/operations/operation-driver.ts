import type { CacheFleetReader } from '../../capi/cache-reader.ts';
import type { ManagementClusterCache } from '../../capi/management-cluster-cache.ts';
import { advanceOperation } from './advance-operation.ts';
import { LeaseElector } from './lease-elector.ts';
import { actorOf } from './operation-actor.ts';
import { isTerminal, type OperationRecord } from './operation-record.ts';
import type { OperationRegistry } from './operation-registry.ts';
import type { OperationChange, OperationStore } from './operation-store.ts';
import type { OperationsAccess } from './operation-type.ts';

export interface DriverOptions {
  identity: string;
  leaseNamespace: string;
  leaseName: string;
  leaseDurationMs: number;
  /** How often the leader renews (and a contender tries); default a third of the lease. */
  renewIntervalMs?: number;
  /** Every running operation is advanced at least this often, events or not. */
  resyncIntervalMs: number;
  now?: () => Date;
  /** Reports failures to persist or to reach the lease (default: stderr). */
  log?: (message: string) => void;
}

function keyOf(operation: OperationRecord): string {
  return `${operation.address.namespace}/${operation.address.name}`;
}

/**
 * resourceVersions are opaque, but every API server we know (etcd's revisions, the embedded
 * one) writes integers that grow: compared as such when they are, else only equality counts.
 */
function notOlder(seen: string, written: string): boolean {
  if (seen === written) return true;
  if (!/^\d+$/.test(seen) || !/^\d+$/.test(written)) return false;
  return BigInt(seen) >= BigInt(written);
}

/**
 * Drives the running operations of one management cluster while it holds the Lease: woken by
 * every change event of the management cluster's caches and of its Operation objects (plus a
 * periodic resync), it advances each running operation as far as the cluster's state allows
 * and persists each transition. Everything it knows is in the Operation objects, so a driver
 * started after a restart — or on another replica once the lease expires — resumes them.
 */
export class OperationDriver {
  readonly elector: LeaseElector;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribes: Array<() => void> = [];
  private running: Promise<void> | null = null;
  private again = false;
  private scheduled = false;
  private renewing = false;
  private stopped = true;
  /**
   * Statuses this driver wrote that the watch has not delivered yet (namespace/name → their
   * resourceVersion): the operation waits for its cache to catch up instead of being advanced
   * again from a stale copy (which would repeat its step's action).
   */
  private readonly awaiting = new Map<string, { resourceVersion: string; sinceMs: number }>();

  constructor(
    private readonly cache: ManagementClusterCache,
    private readonly store: OperationStore,
    private readonly registry: OperationRegistry,
    private readonly access: OperationsAccess,
    private readonly reader: CacheFleetReader,
    private readonly options: DriverOptions,
  ) {
    // The Lease is the gateway's own bookkeeping: its identity, whoever requested the operations.
    this.elector = new LeaseElector(cache.connection.writer, {
      namespace: options.leaseNamespace,
      name: options.leaseName,
      identity: options.identity,
      leaseDurationMs: options.leaseDurationMs,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  get isLeader(): boolean {
    return this.elector.isLeader && !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribes = [
      this.cache.subscribe(() => this.wake()),
      this.store.onChange((change) => {
        this.observe(change);
        this.wake();
      }),
    ];
    const renewMs =
      this.options.renewIntervalMs ?? Math.max(100, Math.floor(this.options.leaseDurationMs / 3));
    this.timers.push(setInterval(() => void this.renew(), renewMs));
    this.timers.push(setInterval(() => this.wake(), this.options.resyncIntervalMs));
    void this.renew();
  }

  /**
   * Stops driving. `release` gives the lease up for another replica to take at once; without
   * it (as when a process dies) the others wait for the lease to expire.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    for (const off of this.unsubscribes.splice(0)) off();
    await this.running;
    if (options.release) await this.elector.release();
  }

  /** Resolves after the pass running now (and any it scheduled) finished: for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private log(message: string): void {
    (this.options.log ?? ((m: string) => process.stderr.write(`capi-gateway: ${m}\n`)))(message);
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.stopped) return;
    this.renewing = true;
    try {
      const was = this.elector.isLeader;
      const leads = await this.elector.tryAcquireOrRenew();
      if (leads && !was) this.wake();
    } finally {
      this.renewing = false;
    }
  }

  /** Our own write has arrived through the watch: the cache is as new as what we wrote. */
  private observe(change: OperationChange): void {
    const mine = this.awaiting.get(change.key);
    if (mine && (change.type === 'DELETED' || notOlder(change.resourceVersion, mine.resourceVersion)))
      this.awaiting.delete(change.key);
  }

  /** Still waiting for our last write to come back (bounded by the resync period: a watch may skip it). */
  private isAwaited(key: string): boolean {
    const mine = this.awaiting.get(key);
    if (!mine) return false;
    if (performance.now() - mine.sinceMs < this.options.resyncIntervalMs) return true;
    this.awaiting.delete(key);
    return false;
  }

  /** Coalesces a burst of change events into one pass. */
  wake(): void {
    if (!this.isLeader) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.isLeader || this.running) return;
      this.running = this.passes().finally(() => {
        this.running = null;
      });
    });
  }

  private async passes(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again && this.isLeader);
  }

  private async pass(): Promise<void> {
    for (const operation of this.store.list()) {
      if (!this.isLeader) return;
      if (isTerminal(operation) || this.isAwaited(keyOf(operation))) continue;
      try {
        await this.advance(operation);
      } catch (err) {
        // A step that throws is a bug in its type; the operation stays as it was and is retried.
        this.log(
          `operation ${operation.address.namespace}/${operation.address.name}: ${(err as Error).message}`,
        );
      }
    }
  }

  private async advance(operation: OperationRecord): Promise<void> {
    const key = keyOf(operation);
    const result = await advanceOperation(operation, this.registry.get(operation.type), {
      identity: this.options.identity,
      cache: this.cache,
      reader: this.reader,
      // Steps write as the requester, so the API server applies their RBAC at every write
      // (status writes go through the store, as the gateway).
      writer: this.cache.connection.writerAs(actorOf(operation)),
      operations: this.access,
      now: () => this.options.now?.() ?? new Date(),
      persist: (op, status) => this.store.writeStatus(op, status),
    });
    if (result.ok) {
      const cached = this.store.get(operation.address.namespace, operation.address.name);
      const arrived = cached && notOlder(cached.resourceVersion, result.value.resourceVersion);
      if (result.value !== operation && !arrived)
        this.awaiting.set(key, { resourceVersion: result.value.resourceVersion, sinceMs: performance.now() });
      return;
    }
    // Based on a stale copy, or the API server is away: the watch brings the truth, then we retry.
    if (result.error.code !== 'CONFLICT')
      this.log(`cannot record the status of operation ${key}: ${result.error.message}`);
  }
}
