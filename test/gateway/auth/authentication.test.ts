/**
 * Authentication over every transport: tokens missing, unknown, expired, for another audience,
 * from another issuer, tampered or signed with an unpublished key are refused — 401 with a
 * WWW-Authenticate challenge over HTTP and SSE, a socket closed with 4401 over graphql-ws — and
 * a subscription ends with an UNAUTHENTICATED error when its token expires. HTTP checks run in
 * process (yoga.fetch); graphql-ws over a real socket.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../../src/app.ts';
import { buildAuthenticator } from '../../../src/auth/authenticator.ts';
import { syntheticFleet } from '../support/synthetic-fleet.ts';
import { fakeRbacFleet } from './fake-rbac.ts';
import { startTestIssuer, type TestIssuer } from './oidc-issuer.ts';

const audience = 'capi-gateway';
const staticToken = 'static-token-for-alice-0123456789';
const countQuery = '{ clusters { totalCount } }';
const summarySubscription = 'subscription { fleetSummaryUpdated { clusters } }';

describe('authentication', () => {
  let issuer: TestIssuer;
  let app: App;
  let dir: string;
  const now = (): number => Math.floor(Date.now() / 1000);
  const oidc = (claims: Record<string, unknown> = {}, options: { unpublishedKey?: boolean } = {}) =>
    issuer.sign(
      { iss: issuer.issuer, aud: audience, sub: 'bob', exp: now() + 600, groups: ['viewers'], ...claims },
      options,
    );

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-auth-'));
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, `${staticToken},alice,uid-alice,"admins,viewers"\n`, { mode: 0o600 });
    // The issuer's keys are found through its discovery document (no jwksUri configured).
    const built = await buildAuthenticator({
      tokenFile,
      oidc: { issuer: issuer.issuer, audience, clockSkewSeconds: 0 },
    });
    if (!built.ok) throw new Error(built.error);
    const { fleet } = fakeRbacFleet(
      'fake',
      syntheticFleet({ clusters: 2, controlPlaneMachines: 1, workerMachines: 1 }),
      [{ subject: 'viewers', verbs: ['list'], resources: ['*'], namespace: '*' }],
    );
    app = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [],
      fleet,
      auth: { authenticate: built.authenticate },
    });
    await app.start();
    expect(await fleet.whenSynced(10_000)).toBe(true);
  });

  afterAll(async () => {
    await app?.stop();
    await issuer?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a request without a token with 401 and a bare Bearer challenge, and nothing else', async () => {
    const res = await post({ query: countQuery });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="capi-gateway"');
    const body = (await res.json()) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers an SSE subscription without a token with 401 before any stream (POST, and GET as graphql-sse sends it)', async () => {
    const viaPost = await post({ query: summarySubscription }, { accept: 'text/event-stream' });
    const viaGet = await app.gateway.yoga.fetch(
      `http://gateway.test/graphql?query=${encodeURIComponent(summarySubscription)}`,
      { headers: { accept: 'text/event-stream' } },
    );
    for (const res of [viaPost, viaGet]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="capi-gateway"');
      expect(res.headers.get('content-type')).not.toContain('text/event-stream');
      const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves a static token of the token file and an OIDC token of the issuer', async () => {
    for (const token of [staticToken, await oidc()]) {
      const res = await post({ query: countQuery }, bearer(token));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { clusters: { totalCount: 2 } } });
    }
    expect(issuer.jwksRequests()).toBeGreaterThan(0);
  });

  const refused: Array<[string, () => Promise<string>, RegExp]> = [
    ['an unknown static token', () => Promise.resolve('not-a-token-anyone-issued'), /not valid/],
    [
      'a static token with one character changed',
      () => Promise.resolve(staticToken.slice(0, -1) + 'X'),
      /not valid/,
    ],
    ['an expired JWT', () => oidc({ exp: now() - 5 }), /expired/],
    ['a JWT for another audience', () => oidc({ aud: 'someone-else' }), /not valid/],
    ['a JWT from another issuer', () => oidc({ iss: 'https://issuer.example' }), /not valid/],
    ['a JWT without an expiry', () => oidc({ exp: undefined }), /not valid/],
    [
      'a JWT signed with a key the issuer does not publish',
      () => oidc({}, { unpublishedKey: true }),
      /not valid/,
    ],
    [
      'a tampered JWT (payload changed, signature kept)',
      async () => {
        const [header, payload, signature] = (await oidc()).split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
        const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin', groups: ['system:masters'] }));
        return `${header}.${forged.toString('base64url')}.${signature}`;
      },
      /not valid/,
    ],
  ];

  it.each(refused)('refuses %s with 401 invalid_token over HTTP', async (_what, token, description) => {
    const res = await post({ query: countQuery }, bearer(await token()));
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="capi-gateway", error="invalid_token", error_description="/);
    expect(challenge).toMatch(description);
  });

  it.each(refused)('refuses %s with 401 over SSE', async (_what, token) => {
    const res = await post(
      { query: summarySubscription },
      { ...bearer(await token()), accept: 'text/event-stream' },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(res.headers.get('content-type')).not.toContain('text/event-stream');
  });

  describe('/metrics (cache counts per management cluster: the fleet’s size)', () => {
    const scrape = (headers: Record<string, string> = {}, method = 'GET') =>
      fetch(app.url.replace('/graphql', '/metrics'), { method, headers });

    it('wants a valid bearer token: 401 with the challenge without one or with a refused one', async () => {
      const missing = await scrape();
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="capi-gateway"');
      const body = await missing.text();
      expect(body).not.toContain('capi_gateway_');
      expect((await scrape({}, 'HEAD')).status).toBe(401);
      for (const [what, token, description] of refused) {
        const res = await scrape(bearer(await token()));
        expect(res.status, what).toBe(401);
        expect(res.headers.get('www-authenticate'), what).toMatch(description);
        expect(await res.text(), what).not.toContain('capi_gateway_');
      }
    });

    it('answers any identity the gateway accepts, static or OIDC', async () => {
      for (const token of [staticToken, await oidc()]) {
        const res = await scrape(bearer(token));
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('capi_gateway_cache_objects{');
      }
    });
  });

  it('serves GraphiQL to a browser without a token (its requests carry one)', async () => {
    const page = await app.gateway.yoga.fetch('http://gateway.test/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
  });

  /** Opens a graphql-ws socket, sends connection_init with `payload`; resolves with how the server closes it. */
  function closeOf(payload: Record<string, unknown> | undefined): Promise<{ code: number; reason: string }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(app.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })),
      );
      socket.on('message', (data: Buffer) => reject(new Error(`unexpected message ${data.toString()}`)));
      socket.on('error', reject);
      socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
    });
  }

  it('closes a graphql-ws socket whose connection_init has no token with 4401', async () => {
    expect(await closeOf(undefined)).toEqual({
      code: 4401,
      reason: expect.stringMatching(/bearer token/) as string,
    });
  });

  it.each(refused)('closes a graphql-ws socket for %s with 4401', async (_what, token, description) => {
    const closed = await closeOf({ token: await token() });
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(description);
  });

  /** Subscribes over graphql-ws with `token`; resolves with every result once the stream ends. */
  function wsResults(connectionParams: Record<string, unknown>): Promise<unknown[]> {
    const client = createClient({
      url: app.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams,
    });
    const results: unknown[] = [];
    return new Promise((resolve, reject) => {
      client.subscribe(
        { query: summarySubscription },
        {
          next: (r) => results.push(r),
          error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))),
          complete: () => {
            void client.dispose();
            resolve(results);
          },
        },
      );
    });
  }

  const expiredResult = {
    errors: [
      expect.objectContaining({
        message: 'the bearer token has expired: the subscription ended',
        extensions: { code: 'UNAUTHENTICATED' },
      }),
    ],
  };

  it('accepts the token in connection_init as `token` or as an Authorization value, and ends the subscription when the JWT expires', async () => {
    const token = await oidc({ exp: now() + 2 });
    const [asToken, asHeader] = await Promise.all([
      wsResults({ token }),
      wsResults({ Authorization: `Bearer ${token}` }),
    ]);
    for (const results of [asToken, asHeader]) {
      expect(results[0]).toEqual({ data: { fleetSummaryUpdated: { clusters: 2 } } });
      expect(results.at(-1)).toEqual(expiredResult);
    }
  }, 20_000);

  it('ends an SSE subscription when its JWT expires', async () => {
    const res = await post(
      { query: summarySubscription },
      { ...bearer(await oidc({ exp: now() + 2 })), accept: 'text/event-stream' },
    );
    expect(res.status).toBe(200);
    const text = await res.text(); // the stream ends by itself at the expiry
    const events = [...text.matchAll(/^event: next\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as unknown);
    expect(events[0]).toEqual({ data: { fleetSummaryUpdated: { clusters: 2 } } });
    expect(events.at(-1)).toEqual(expiredResult);
  }, 20_000);
});
