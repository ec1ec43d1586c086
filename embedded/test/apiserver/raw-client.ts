/** A minimal HTTPS client for the embedded API server (trusts its CA, sends its token). */
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../apiserver/server.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

export interface RawClient {
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse>;
}

export function rawClient(server: { url: string; caPem: string; token?: string }): RawClient {
  return {
    send(method, path, body, headers = {}) {
      const payload =
        body === undefined
          ? undefined
          : typeof body === 'string' || Buffer.isBuffer(body)
            ? body
            : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = request(
          new URL(path, server.url),
          {
            method,
            ca: server.caPem,
            headers: {
              ...(server.token ? { Authorization: `Bearer ${server.token}` } : {}),
              ...(payload !== undefined
                ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }
                : {}),
              Accept: 'application/json',
              ...headers,
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                text,
                json: () => JSON.parse(text) as Record<string, unknown>,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}

export interface TestApiServer extends ApiServer {
  dataDir: string;
  client: RawClient;
  cleanup(): Promise<void>;
}

/** Starts a bare API server in a temp dir (ephemeral unless told otherwise). */
export async function startTestApiServer(options: Partial<ApiServerOptions> = {}): Promise<TestApiServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'apiserver-test-')));
  const server = await startApiServer({ host: '127.0.0.1', port: 0, ephemeral: true, ...options, dataDir });
  return {
    ...server,
    dataDir,
    client: rawClient(server),
    cleanup: async () => {
      await server.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 200);
  }
}
