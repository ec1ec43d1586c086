import { toDomainError } from './api-errors.ts';
import { exponentialBackoff, type Backoff } from './backoff.ts';
import type { DomainError } from './domain-error.ts';
import { isKubeObject, type KubeObject } from './kube-object.ts';
import type { KubeTransport, ResourceTarget, WatchHandle } from './kube-transport.ts';

/** Receives a kind's objects: a full snapshot after each (re)list, then single changes. */
export interface ListWatchSink {
  reset(items: KubeObject[]): void;
  upsert(object: KubeObject): void;
  remove(object: KubeObject): void;
}

export interface ListWatchStatus {
  /** Listed at least once: the cache holds a full snapshot (maybe stale). */
  listed: boolean;
  /** The last list or watch attempt succeeded. */
  healthy: boolean;
  lastSyncTime?: Date;
  error?: DomainError;
}

export interface ListWatchOptions {
  pageSize?: number;
  backoff?: Backoff;
  onStatus?: (status: ListWatchStatus) => void;
  now?: () => Date;
  /**
   * How long a watch request may go unanswered before it counts as failed (default 60 s, as lists
   * and gets): client-node's Watch waits for the response headers with no deadline of its own.
   */
  watchStartTimeoutMs?: number;
}

type WatchOutcome =
  { kind: 'closed'; lastedMs: number } | { kind: 'gone' } | { kind: 'failed'; error: unknown };

/**
 * One list+watch loop for one kind. client-node's informer stops for good on any error but 410;
 * this loop relists on 410 and restarts with backoff on everything else, so a management
 * cluster that comes back resyncs by itself.
 */
export class ResilientListWatch {
  private stopped = true;
  private resourceVersion = '';
  private watchHandle: WatchHandle | undefined;
  /** Ends the watch being started or followed now, for `stop()`: its request may never be answered. */
  private abandonWatch: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private readonly backoff: Backoff;
  private readonly now: () => Date;
  private current: ListWatchStatus = { listed: false, healthy: false };
  private loop: Promise<void> | undefined;

  constructor(
    private readonly transport: KubeTransport,
    readonly target: ResourceTarget,
    private readonly sink: ListWatchSink,
    private readonly options: ListWatchOptions = {},
  ) {
    this.backoff = options.backoff ?? exponentialBackoff(250, 10_000);
    this.now = options.now ?? (() => new Date());
  }

  get status(): ListWatchStatus {
    return this.current;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watchHandle?.abort();
    this.abandonWatch?.();
    this.wake?.();
    await this.loop;
  }

  private setStatus(patch: Partial<ListWatchStatus>): void {
    this.current = { ...this.current, ...patch };
    this.options.onStatus?.(this.current);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        const outcome = await this.watchOnce();
        if (outcome.kind === 'gone') this.resourceVersion = '';
        if (outcome.kind === 'failed') throw outcome.error;
        // A server that closes watches at once must not turn this loop into a busy loop.
        if (outcome.kind === 'closed' && outcome.lastedMs < 1000) await this.sleep(500);
      } catch (err) {
        if (this.stopped) break;
        const error = toDomainError(err, `${this.target.plural}.${this.target.group}`);
        if (error.code === 'GONE') {
          this.resourceVersion = '';
          continue;
        }
        this.setStatus({ healthy: false, error });
        await this.sleep(this.backoff.next());
      }
    }
  }

  private async relist(): Promise<void> {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.transport.list(this.target, {
        limit: this.options.pageSize ?? 500,
        continueToken,
      });
      items.push(...page.items);
      continueToken = page.continueToken;
      resourceVersion = page.resourceVersion;
    } while (continueToken && !this.stopped);
    if (this.stopped) return;
    this.sink.reset(items);
    this.resourceVersion = resourceVersion;
    this.backoff.reset();
    this.setStatus({ listed: true, healthy: true, error: undefined, lastSyncTime: this.now() });
  }

  private watchOnce(): Promise<WatchOutcome> {
    const startedAt = Date.now();
    return new Promise<WatchOutcome>((resolve) => {
      let gone = false;
      // Set once the outcome is known; a watch given up on (no answer in time, or stopped) may
      // still answer or end later and must then change nothing.
      let settled = false;
      const settle = (outcome: WatchOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(unanswered);
        this.watchHandle = undefined;
        this.abandonWatch = undefined;
        resolve(outcome);
      };
      const timeoutMs = this.options.watchStartTimeoutMs ?? 60_000;
      const unanswered = setTimeout(() => {
        const error = Object.assign(new Error(`watch not answered within ${timeoutMs / 1000} s`), {
          code: 'ETIMEDOUT',
        });
        settle({ kind: 'failed', error });
      }, timeoutMs);
      this.abandonWatch = () => settle({ kind: 'closed', lastedMs: Date.now() - startedAt });
      const onEvent = (event: { type: string; object: unknown }): void => {
        if (settled) return;
        if (event.type === 'ERROR') {
          if ((event.object as { code?: unknown } | undefined)?.code === 410) gone = true;
          return;
        }
        if (event.type === 'BOOKMARK') {
          const rv = (event.object as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata
            ?.resourceVersion;
          if (typeof rv === 'string' && rv) this.resourceVersion = rv;
          return;
        }
        if (!isKubeObject(event.object)) return;
        const rv = event.object.metadata.resourceVersion;
        if (event.type === 'ADDED' || event.type === 'MODIFIED') this.sink.upsert(event.object);
        else if (event.type === 'DELETED') this.sink.remove(event.object);
        if (rv) this.resourceVersion = rv;
      };
      const onDone = (err: unknown): void => {
        if (gone) settle({ kind: 'gone' });
        else if (err && !this.stopped) settle({ kind: 'failed', error: err });
        else settle({ kind: 'closed', lastedMs: Date.now() - startedAt });
      };
      this.transport.watch(this.target, this.resourceVersion, onEvent, onDone).then(
        (handle) => {
          if (settled || this.stopped) {
            handle.abort();
            return;
          }
          clearTimeout(unanswered);
          this.watchHandle = handle;
          if (!this.current.healthy)
            this.setStatus({ healthy: true, error: undefined, lastSyncTime: this.now() });
        },
        (err: unknown) => settle({ kind: 'failed', error: err }),
      );
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
