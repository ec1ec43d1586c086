import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { childTracker, graphqlLine, type CliChild } from './cli-child.ts';

/** A Node stack trace has lines like `    at foo (file.ts:1:2)`. */
const stackLine = /^\s+at /m;

// The schema has Query, Mutation and Subscription now: the rule for a missing root type is
// tested on a query-only schema (test/unit/known-operation-types.test.ts); here, an operation
// the schema cannot answer is still a validation error without a stack, on every transport.
describe('an operation the schema cannot answer', () => {
  const children = childTracker();
  let dir: string;
  let gateway: CliChild;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-ops-'));
    gateway = children.start(['serve', '--no-demo', '--port', '0', '--data-dir', join(dir, 'data')]);
    url = (await gateway.waitForStdout(graphqlLine))[1]!;
  });
  afterAll(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (query: string, accept = 'application/graphql-response+json') =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query }),
    });

  it.each([
    ['mutation', 'mutation { noSuchMutation { id } }', 'Mutation'],
    ['subscription', 'subscription { clusterChanged { id } }', 'Subscription'],
  ])('a %s answers a validation error naming the type, and logs no stack', async (_, query, type) => {
    const res = await post(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ message: string; extensions?: { code?: string } }> };
    expect(body.errors[0]!.message).toContain(`on type "${type}"`);
    expect(body.errors[0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(body)).not.toContain('INTERNAL_SERVER_ERROR');
    // A plain application/json client gets the same error (yoga keeps 200 there, as for any
    // validation error).
    const legacy = (await (await post(query, 'application/json')).json()) as typeof body;
    expect(legacy.errors[0]!.message).toContain(`on type "${type}"`);
    expect(gateway.stderr()).not.toMatch(stackLine);
    expect(gateway.stdout()).not.toMatch(stackLine);
  });

  it('a query still runs', async () => {
    const res = await post('{ managementClusters { name } }');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { managementClusters: [{ name: 'embedded' }] } });
  });

  it('over graphql-ws, a subscription gets the same validation error', async () => {
    const client = createClient({
      url: url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: 'subscription { clusterChanged { id } }' },
          { next: () => undefined, error: resolve, complete: () => resolve(undefined) },
        );
      });
      expect(JSON.stringify(errors)).toContain('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(errors)).toContain('on type \\"Subscription\\"');
    } finally {
      await client.dispose();
    }
    expect(gateway.stderr()).not.toMatch(stackLine);
  });
});
