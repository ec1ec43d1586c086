/**
 * Counts what each identity holds at once (running requests, open connections, open
 * subscriptions) and refuses one more past its cap. `acquire` gives back the release, so a
 * slot is freed exactly once whatever ends the request.
 */
export class PerIdentityCap {
  private readonly held = new Map<string, number>();

  constructor(readonly max: number) {}

  /** A release function, or undefined when `key` already holds `max`. */
  acquire(key: string): (() => void) | undefined {
    const n = this.held.get(key) ?? 0;
    if (n >= this.max) return undefined;
    this.held.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left <= 0) this.held.delete(key);
      else this.held.set(key, left);
    };
  }

  /** What every identity holds together (for the metrics). */
  total(): number {
    let sum = 0;
    for (const n of this.held.values()) sum += n;
    return sum;
  }
}
