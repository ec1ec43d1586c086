/**
 * How long a reconcile waits before looking again for an object it references that does not
 * exist (a machine template, a ClusterClass's template, a kind no CRD serves): as long as the
 * reference has been broken so far, between 2 s and 5 min. A reference fixed quickly is seen
 * quickly; one that stays broken (a seeded fleet without its templates, a deleted template)
 * costs next to nothing — controller-runtime's per-item exponential backoff does the same for a
 * real controller that returns an error. Nothing routes a template's creation to the objects
 * that reference it, so the wait is bounded rather than open-ended.
 */
export const MISSING_RETRY_MIN_MS = 2_000;
export const MISSING_RETRY_MAX_MS = 300_000;

export class MissingBackoff {
  /** Reference key → when (real ms) it was first found missing. */
  private readonly since = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The wait before the next look for `key`, which is missing now. */
  retryMs(key: string): number {
    const now = this.now();
    let first = this.since.get(key);
    if (first === undefined) this.since.set(key, (first = now));
    return Math.min(Math.max(now - first, MISSING_RETRY_MIN_MS), MISSING_RETRY_MAX_MS);
  }

  /** `key` resolves again: the next time it goes missing starts from the shortest wait. */
  found(key: string): void {
    this.since.delete(key);
  }
}
