/**
 * `/metrics`: the gateway's Prometheus metrics in the text exposition format. With
 * authentication configured it wants a valid bearer token like any request (static or OIDC,
 * whoever it names — a scraper's own token is enough): the cache object counts per management
 * cluster describe the whole fleet, which no anonymous caller may learn. Without
 * authentication (loopback only) it stays open.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../auth/bearer-token.ts';
import { challengeOf } from '../auth/http-authentication.ts';
import type { Authenticator } from '../auth/identity.ts';
import type { GatewayMetrics } from './metrics.ts';

export function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: GatewayMetrics,
  authenticate?: Authenticator,
): boolean {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return true;
  }
  void answer(req, res, metrics, authenticate).catch(() => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
  return true;
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: GatewayMetrics,
  authenticate: Authenticator | undefined,
): Promise<void> {
  const body = (text: string) => (req.method === 'HEAD' ? undefined : text);
  if (authenticate) {
    const result = await authenticate(bearerToken(req.headers.authorization));
    if (!result.ok) {
      res.writeHead(401, {
        'www-authenticate': challengeOf(result.failure),
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(body(`${result.failure.message}\n`));
      return;
    }
  }
  const text = await metrics.text();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  res.end(body(text));
}
