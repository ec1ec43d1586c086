/** `/metrics`: the gateway's Prometheus metrics in the text exposition format. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from './metrics.ts';

export function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: GatewayMetrics): boolean {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return true;
  }
  void metrics.text().then(
    (text) => {
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
    () => {
      res.writeHead(500);
      res.end();
    },
  );
  return true;
}
