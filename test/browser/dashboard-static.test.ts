/**
 * How the gateway serves the built dashboard (no browser needed): content types, cache headers,
 * the page for in-app paths but never for the API's own, no escape from its folder, and a page
 * saying how to build it when it is missing.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { fleetOf } from '../../src/capi/fleet.ts';

let dir: string;
let app: App;
let origin: string;
const page = '<!doctype html><div id="app"></div>';

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${origin}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('the dashboard served at /', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dashboard-'));
    await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
    await writeFile(join(dir, 'dist', 'index.html'), page);
    await writeFile(join(dir, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dir, 'dist', 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(join(dir, 'secret.txt'), 'outside');
    app = await buildApp({
      managementClusters: [],
      fleet: fleetOf([]),
      host: '127.0.0.1',
      port: 0,
      dashboardDir: join(dir, 'dist'),
    });
    await app.start();
    origin = new URL(app.url).origin;
  });

  afterAll(async () => {
    await app?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page at / and for in-app paths, revalidated every time', async () => {
    for (const path of ['/', '/clusters/embedded/default/demo', '/operations']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.body).toBe(page);
    }
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const js = await get('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await get('/assets/index-abc123.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a missing asset, never the page', async () => {
    const res = await get('/assets/missing.js');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('<div id="app">');
  });

  it('leaves the API paths to the API: GraphiQL, GraphQL, the probes', async () => {
    const graphiql = await get('/graphql', { accept: 'text/html' });
    expect(graphiql.status).toBe(200);
    expect(graphiql.body).not.toBe(page);
    expect(graphiql.body).toContain('capi-gateway');
    const query = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ managementClusters { name } }' }),
    });
    expect(await query.json()).toEqual({ data: { managementClusters: [] } });
    expect((await get('/healthz')).body).toContain('"ok":true');
    expect((await get('/graphql/anything')).body).not.toBe(page);
  });

  it('does not serve files outside its folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await get(path);
      expect(res.body, path).not.toContain('outside');
    }
  });

  it('says how to build it when it is not built', async () => {
    const empty = await buildApp({
      managementClusters: [],
      fleet: fleetOf([]),
      host: '127.0.0.1',
      port: 0,
      dashboardDir: join(dir, 'nothing-here'),
    });
    await empty.start();
    try {
      const res = await fetch(new URL('/', empty.url));
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run web:build');
    } finally {
      await empty.stop();
    }
  });
});
