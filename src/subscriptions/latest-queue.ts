/**
 * One subscription's buffer, read as an async iterator. Bounded: when the reader (the client's
 * socket) falls behind and `capacity` values wait, the newest replaces the last waiting one, so
 * intermediate states are dropped and the latest is always delivered; memory never grows with
 * how far behind a client is.
 */
export interface LatestQueue<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  /** Ends the iterator after what waits (or at once with `error`). */
  close(error?: Error): void;
  /** Values dropped because the reader was behind. */
  readonly dropped: number;
}

export function latestQueue<T>(capacity: number, onReturn: () => void): LatestQueue<T> {
  const waiting: T[] = [];
  let pending: ((r: IteratorResult<T>) => void) | null = null;
  let rejectPending: ((e: Error) => void) | null = null;
  let closed = false;
  let failure: Error | null = null;
  let dropped = 0;
  let returned = false;

  const finish = (): void => {
    if (returned) return;
    returned = true;
    onReturn();
  };

  const queue: LatestQueue<T> = {
    get dropped() {
      return dropped;
    },
    push(value) {
      if (closed) return;
      if (pending) {
        const resolve = pending;
        pending = rejectPending = null;
        resolve({ value, done: false });
        return;
      }
      if (waiting.length >= capacity) {
        waiting[waiting.length - 1] = value;
        dropped++;
        return;
      }
      waiting.push(value);
    },
    close(error) {
      if (closed) return;
      closed = true;
      failure = error ?? null;
      if (!pending) return;
      const resolve = pending;
      const reject = rejectPending;
      pending = rejectPending = null;
      finish();
      if (failure && reject) reject(failure);
      else resolve({ value: undefined, done: true });
    },
    next() {
      if (waiting.length > 0) return Promise.resolve({ value: waiting.shift() as T, done: false });
      if (closed) {
        finish();
        if (failure) {
          const e = failure;
          failure = null;
          return Promise.reject(e);
        }
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => {
        pending = resolve;
        rejectPending = reject;
      });
    },
    return() {
      closed = true;
      waiting.length = 0;
      if (pending) {
        const resolve = pending;
        pending = rejectPending = null;
        resolve({ value: undefined, done: true });
      }
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      void queue.return?.();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
