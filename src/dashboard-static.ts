/**
 * The web dashboard's files (built by `npm run web:build` into web/dist/), served at `/` next to
 * GraphQL. Hashed assets are cached for a year, the page itself is revalidated every time, and a
 * path that is not a file gets the page (the dashboard routes in the browser) — except the API's
 * own paths, which never fall back to it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const defaultDashboardDir = fileURLToPath(new URL('../web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths the dashboard never answers: GraphQL (HTTP, SSE, graphql-ws) and the probes. */
function isApiPath(path: string, graphqlPath: string): boolean {
  return (
    path === graphqlPath || path.startsWith(`${graphqlPath}/`) || path === '/healthz' || path === '/readyz'
  );
}

async function fileAt(dir: string, path: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = normalize(join(dir, decoded));
  // `..` cannot leave the dashboard's folder.
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? file : undefined;
}

function send(res: ServerResponse, file: string, cacheControl: string, head: boolean): void {
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  });
  if (head) res.end();
  else createReadStream(file).pipe(res);
}

const notBuilt = `<!doctype html><meta charset="utf-8"><title>capi-gateway</title>
<p>The dashboard is not built: run <code>npm run web:build</code> (or start with <code>npm start</code>).
GraphQL is at <a href="/graphql">/graphql</a>.</p>`;

/**
 * Answers a GET/HEAD for the dashboard; resolves false when the request is not its own (API
 * paths, other methods, a missing file with an extension), so the caller passes it on.
 */
export async function serveDashboard(
  req: IncomingMessage,
  res: ServerResponse,
  dir: string,
  graphqlPath: string,
): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (isApiPath(path, graphqlPath)) return false;
  const head = req.method === 'HEAD';
  const file = path === '/' ? undefined : await fileAt(dir, path);
  if (file) {
    const hashed = path.startsWith('/assets/');
    send(res, file, hashed ? 'public, max-age=31536000, immutable' : 'no-cache', head);
    return true;
  }
  // A missing asset is a 404, not the page: a script tag must never receive HTML.
  if (extname(path) !== '') return false;
  const index = await fileAt(dir, '/index.html');
  if (index) {
    send(res, index, 'no-cache', head);
    return true;
  }
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(head ? undefined : notBuilt);
  return true;
}
