import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

/** One subscription over graphql-ws, its results collected in order. */
export interface WsSubscriber {
  results: Received[];
  done: Promise<unknown>;
  /** Polls (with a deadline) until `n` results have arrived; returns them. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function wsSubscribe(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  }),
): WsSubscriber {
  const results: Received[] = [];
  let finish: (v: unknown) => void = () => undefined;
  const done = new Promise((resolve) => (finish = resolve));
  const off = client.subscribe(
    { query, variables },
    {
      next: (r) => results.push(r as Received),
      error: (e) => finish(e),
      complete: () => finish(undefined),
    },
  );
  return {
    results,
    done,
    async waitFor(n, timeoutMs = 10_000) {
      await waitUntil(
        () => results.length >= n,
        timeoutMs,
        `${n} subscription results (have ${results.length})`,
      );
      return results;
    },
    async close() {
      off();
      await client.dispose();
    },
  };
}
