import { isDeepStrictEqual } from 'node:util';
import type { Plugin } from 'graphql-yoga';

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
        if (!first && isDeepStrictEqual(r.value, last)) continue;
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
