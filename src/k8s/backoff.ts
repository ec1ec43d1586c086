/** Exponential backoff with full jitter; `reset()` after a success. */
export interface Backoff {
  next(): number;
  reset(): void;
}

export function exponentialBackoff(initialMs: number, maxMs: number, random = Math.random): Backoff {
  let attempt = 0;
  return {
    next() {
      const cap = Math.min(maxMs, initialMs * 2 ** attempt);
      attempt = Math.min(attempt + 1, 30);
      return Math.round(cap / 2 + (random() * cap) / 2);
    },
    reset() {
      attempt = 0;
    },
  };
}
