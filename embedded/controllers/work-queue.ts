/**
 * A rate-free work queue in the controller-runtime mould: keys are deduplicated, a key is never
 * reconciled twice at once (a change during a reconcile runs it again afterwards), requeue-after
 * keeps the earliest deadline, and a fixed number of workers bounds CPU use. Keys queue up from
 * the start but no worker runs before `start()` (controller-runtime's WaitForCacheSync: a
 * reconcile on half-listed caches would recreate what exists).
 */
export type ReconcileResult = { requeueAfterMs?: number } | void;
export type ReconcileHandler = (key: string) => Promise<ReconcileResult>;

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private active = 0;
  private stopped = false;
  private started = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly handler: ReconcileHandler,
    private readonly workers: number,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Lets the workers run: call once every cache the handlers read has listed. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
  }

  get size(): number {
    return this.queue.length + this.active;
  }

  private pump(): void {
    if (!this.started) return;
    while (!this.stopped && this.active < this.workers && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      this.running.add(key);
      this.active++;
      void this.run(key);
    }
    if (this.active === 0 && this.queue.length === 0)
      for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async run(key: string): Promise<void> {
    try {
      const result = await this.handler(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      this.onError(key, error);
      this.addAfter(key, 500);
    } finally {
      this.running.delete(key);
      this.active--;
      if (this.dirty.delete(key)) this.add(key);
      // Let I/O (watch events) in between bursts of reconciles.
      setImmediate(() => this.pump());
    }
  }
}
