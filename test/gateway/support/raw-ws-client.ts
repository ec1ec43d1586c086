import WebSocket from 'ws';
import { waitUntil } from './ws-subscriber.ts';

interface Message {
  id?: string;
  type: string;
  payload?: unknown;
}

/**
 * A graphql-transport-ws connection that keeps only the last value per subscription (a count
 * and the last payload), so thousands of large results cost the test nothing, and that can
 * stop reading its socket (pause) as a stalled client does.
 */
export interface RawWsClient {
  /** Values received per subscription id. */
  counts: Map<string, number>;
  /** The last `next` payload per subscription id. */
  last: Map<string, unknown>;
  /** The first `error` payload per subscription id. */
  errors: Map<string, unknown>;
  closed: Promise<{ code: number; reason: string }>;
  subscribe(id: string, query: string, variables?: Record<string, unknown>): void;
  pause(): void;
  resume(): void;
  close(): void;
}

export async function rawWsClient(url: string): Promise<RawWsClient> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const counts = new Map<string, number>();
  const last = new Map<string, unknown>();
  const errors = new Map<string, unknown>();
  let acked = false;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as Message;
    if (m.type === 'connection_ack') acked = true;
    if (m.type === 'next' && m.id) {
      counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
      last.set(m.id, m.payload);
    }
    if (m.type === 'error' && m.id && !errors.has(m.id)) errors.set(m.id, m.payload);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await waitUntil(() => acked, 10_000, 'connection_ack');
  return {
    counts,
    last,
    errors,
    closed,
    subscribe(id, query, variables = {}) {
      ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    close: () => ws.terminate(),
  };
}
