import { isDeepStrictEqual } from 'node:util';
import type { Plugin } from 'graphql-yoga';

/**
 * Sends a subscription's next result only when it differs from the last one sent: the
 * selection is executed on the new state and compared, so a subscriber to `{ phase }` hears
 * nothing when only a machine's address changed.
 */
async function* changedOnly<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  let last: unknown = undefined;
  let first = true;
  for await (const result of source) {
    if (!first && isDeepStrictEqual(result, last)) continue;
    first = false;
    last = result;
    yield result;
  }
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

export function useChangedResultsOnly(): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(changedOnly(result) as never);
        },
      };
    },
  };
}
