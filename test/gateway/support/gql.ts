import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface GqlResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** A gateway's URL, or something answering HTTP requests in process (yoga's `fetch`). */
export type GqlTarget =
  string | { yoga: { fetch: (url: string, init: RequestInit) => Promise<Response> | Response } };

/**
 * POSTs a query to the gateway like any GraphQL client: over a socket to a URL, or through
 * yoga's own `fetch` in process (the same HTTP handling, no port).
 */
export async function gql<T = Record<string, unknown>, V = Record<string, unknown>>(
  target: GqlTarget,
  query: string | DocumentNode | TypedDocumentNode<T, V>,
  variables?: V,
): Promise<GqlResponse<T>> {
  const send =
    typeof target === 'string'
      ? (init: RequestInit) => fetch(target, init)
      : (init: RequestInit) => target.yoga.fetch('http://gateway.test/graphql', init);
  const res = await send({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
  });
  return (await res.json()) as GqlResponse<T>;
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
