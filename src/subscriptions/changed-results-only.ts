import type { Plugin } from 'graphql-yoga';

/**
 * A result as the client would receive it, serialised once per result object: results are
 * shared by every subscriber of the same event and selection (shared-results.ts), so each is
 * compared as one string by all of them instead of walked once per subscriber.
 */
const serialised = new WeakMap<object, string>();

function sameAsSent(next: unknown, last: unknown): boolean {
  if (next === last) return true;
  if (typeof next !== 'object' || next === null || typeof last !== 'object' || last === null) return false;
  return textOf(next) === textOf(last);
}

function textOf(result: object): string {
  let text = serialised.get(result);
  if (text === undefined) serialised.set(result, (text = JSON.stringify(result)));
  return text;
}

/**
 * Sends a subscription's next result only when it differs from the last one sent: the
 * selection is executed on the new state and compared, so a subscriber to `{ phase }` hears
 * nothing when only a machine's address changed. Hand-written so return() reaches the source
 * at once (see stream.ts).
 */
function changedOnly<T>(source: AsyncIterator<T>): AsyncIterableIterator<T> {
  let first = true;
  let last: T | undefined;
  const it: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const r = await source.next();
        if (r.done) return r;
        if (!first && sameAsSent(r.value, last)) continue;
        first = false;
        last = r.value;
        return r;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    throw: (e?: unknown) => source.throw?.(e) ?? Promise.reject(e),
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

export function useChangedResultsOnly(): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(changedOnly(result[Symbol.asyncIterator]()) as never);
        },
      };
    },
  };
}
