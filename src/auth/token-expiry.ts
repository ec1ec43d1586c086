/**
 * A subscription lives no longer than the token it was opened with: at the token's expiry the
 * stream sends one error (UNAUTHENTICATED, "the bearer token has expired") and ends, over
 * graphql-ws and SSE alike.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Identity } from './identity.ts';

/** setTimeout's limit: a later expiry is re-armed when this one fires. */
const maxTimerMs = 2_147_483_647;

export function expiredError(): GraphQLError {
  return new GraphQLError('the bearer token has expired: the subscription ended', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** `source` until `expiresAt`, then the expiry error, then done. */
export function untilExpiry(
  source: AsyncIterable<ExecutionResult>,
  expiresAt: Date,
  now: () => number = Date.now,
): AsyncIterableIterator<ExecutionResult> {
  const inner = source[Symbol.asyncIterator]();
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    const arm = (): void => {
      const left = expiresAt.getTime() - now();
      if (left <= 0) return resolve('expired');
      timer = setTimeout(arm, Math.min(left, maxTimerMs));
    };
    arm();
  });
  const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
    finished = true;
    clearTimeout(timer);
    await inner.return?.();
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      if (finished) return { value: undefined, done: true };
      const next = await Promise.race([inner.next(), expired]);
      if (next === 'expired') {
        await finish();
        return { value: { errors: [expiredError()] }, done: false };
      }
      if (next.done) {
        finished = true;
        clearTimeout(timer);
      }
      return next;
    },
    return: finish,
    async throw(error?: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

export function useTokenExpiry(): Plugin<{ identity?: Identity }> {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args, result, setResult }) {
          const expiresAt = (args.contextValue as { identity?: Identity }).identity?.expiresAt;
          if (expiresAt && isAsyncIterable(result)) setResult(untilExpiry(result, expiresAt));
        },
      };
    },
  };
}
