import type { MaybePromise } from '../src/capi/fleet-reader.ts';

/** Applies `fn` without a promise when the value is already there (the cache-backed case). */
export function chain<T, R>(value: MaybePromise<T>, fn: (value: T) => R | Promise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

export function all<T>(values: MaybePromise<T>[]): MaybePromise<T[]> {
  return values.some((v) => v instanceof Promise) ? Promise.all(values) : (values as T[]);
}
