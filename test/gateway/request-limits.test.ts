import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { limitedGateway, type LimitedGateway } from './support/limited-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

const fleet = () => syntheticFleet({ clusters: 3, controlPlaneMachines: 1, workerMachines: 2 });

async function until<T>(probe: () => Promise<T | undefined>, deadlineMs = 10_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('each request limit', () => {
  let gw: LimitedGateway | undefined;
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
  });

  const firstError = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
    body.errors?.[0]?.extensions;

  it('tokens: a document of more than 2,000 tokens is refused by the parser', async () => {
    gw = await limitedGateway(fleet());
    const fields = Array.from({ length: 2_100 }, () => 'name').join(' ');
    const { body } = await gw.post(`{ clusters { edges { node { ${fields} } } } }`);
    expect(firstError(body)).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'tokens', max: 2000 });
    expect(gw.resolverCalls()).toBe(0);
  });

  it('directives: more than 50 directives are refused', async () => {
    gw = await limitedGateway(fleet());
    const fields = Array.from({ length: 51 }, (_, i) => `n${i}: totalCount @include(if: true)`).join(' ');
    const { body } = await gw.post(`{ clusters { ${fields} } }`);
    const ext = body.errors?.map((e) => e.extensions);
    expect(ext).toContainEqual(expect.objectContaining({ limit: 'directives', max: 50, found: 51 }));
  });

  it('depth and aliases are configurable', async () => {
    gw = await limitedGateway(fleet(), { limits: { depth: 3, aliases: 1 } });
    const deep = await gw.post('{ clusters { edges { node { name } } } }');
    expect(firstError(deep.body)).toMatchObject({ limit: 'depth', max: 3, found: 4 });
    const aliased = await gw.post('{ a: managementClusters { name } b: managementClusters { name } }');
    expect(firstError(aliased.body)).toMatchObject({ limit: 'aliases', max: 1, found: 2 });
  });

  it('cost: a plain list counts by the largest such list the caches hold, and follows them', async () => {
    // Three clusters of three machines: clusters, edge, node and the three machines cost 6.
    gw = await limitedGateway(fleet(), { limits: { cost: 12 } });
    const query = '{ clusters(first: 1) { edges { node { machines { name } } } } }';
    expect((await gw.post(query)).body.errors).toBeUndefined();
    // A cluster of thirteen machines: the same query now counts 16.
    const extra: KubeObject[] = syntheticFleet({
      clusters: 1,
      controlPlaneMachines: 1,
      workerMachines: 12,
    }).map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'other' } }));
    for (const object of extra) gw.transport.put(object);
    const ext = await until(async () => firstError((await gw!.post(query)).body));
    expect(ext).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost', max: 12 });
    expect(gw.resolverCalls()).toBeGreaterThan(0); // the first query ran
  });

  it('cost: with `listSize` set, every plain list counts as that many', async () => {
    gw = await limitedGateway(fleet(), { limits: { listSize: 1000 } });
    const query =
      '{ clusters(first: 10) { edges { node { machines { name cluster { machines { name } } } } } } }';
    const { body } = await gw.post(query);
    expect(firstError(body)).toMatchObject({ limit: 'cost' });
    expect(gw.resolverCalls()).toBe(0);
  });

  it('cost: a connection without first/last counts as everything it holds', async () => {
    gw = await limitedGateway(fleet(), { limits: { cost: 10 } });
    // 3 clusters × (cluster, edge, node, 3 machines) = 18 > 10; first: 1 costs 6.
    const all = await gw.post('{ clusters { edges { node { name machines { name } } } } }');
    expect(firstError(all.body)).toMatchObject({ limit: 'cost' });
    const one = await gw.post('{ clusters(first: 1) { edges { node { name machines { name } } } } }');
    expect(one.body.errors).toBeUndefined();
  });

  it('executionTimeout: a request past its deadline stops, with one error', async () => {
    gw = await limitedGateway(fleet(), { limits: { executionTimeoutMs: 5 } });
    const reader = gw.fleet.reader;
    const clusters = reader.clusters.bind(reader);
    // A slow read: everything resolved after it is past the deadline.
    reader.clusters = (mc) => {
      const until = performance.now() + 20;
      while (performance.now() < until);
      return clusters(mc);
    };
    const { body } = await gw.post('{ clusters(first: 3) { edges { node { name machines { name } } } } }');
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ limit: 'executionTimeout', max: 5 }) }),
    ]);
  });

  it('responseBytes: a response larger than the cap is replaced by the error', async () => {
    gw = await limitedGateway(fleet(), { limits: { responseBytes: 500 } });
    const { body } = await gw.post(
      '{ clusters { edges { node { id name labels annotations machines { id name } } } } }',
    );
    expect(body.data ?? null).toBeNull();
    expect(firstError(body)).toMatchObject({ limit: 'responseBytes', max: 500 });
    const small = await gw.post('{ clusters { totalCount } }');
    expect(small.body.errors).toBeUndefined();
  });

  it('concurrentRequests: one more than the cap answers 429 for that caller', async () => {
    gw = await limitedGateway(fleet(), { limits: { concurrentRequests: 1 } });
    // In process there is no socket: every request is the same caller.
    const release = gw.gateway.caps.requests.acquire('address:local')!;
    const { status, body } = await gw.post('{ clusters { totalCount } }');
    expect(status).toBe(429);
    expect(firstError(body)).toMatchObject({ limit: 'concurrentRequests', max: 1 });
    expect(gw.resolverCalls()).toBe(0);
    release();
    expect((await gw.post('{ clusters { totalCount } }')).body.errors).toBeUndefined();
    // Another caller is not affected by this one's requests.
    const other = gw.gateway.caps.requests.acquire('user:alice');
    expect(other).toBeDefined();
  });

  it('subscriptions: one more than the cap is refused; closing one frees its slot', async () => {
    gw = await limitedGateway(fleet(), { limits: { subscriptions: 1 } });
    const g = gw;
    const open = async () => {
      const controller = new AbortController();
      const res = await g.gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: 'subscription { fleetSummaryUpdated { clusters } }' }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      let first = '';
      // The stream opens with a comment (':'): the first event follows.
      while (!first.includes('data:')) {
        const { value, done } = await reader.read();
        if (done) break;
        first += new TextDecoder().decode(value);
      }
      return { first, close: () => void reader.cancel().finally(() => controller.abort()) };
    };
    const one = await open();
    expect(one.first).toContain('"clusters":3');
    const two = await open();
    expect(two.first).toContain('"limit":"subscriptions"');
    two.close();
    one.close();
    await until(async () => (g.gateway.caps.subscriptions.total() === 0 ? true : undefined));
    const three = await open();
    expect(three.first).toContain('"clusters":3');
    three.close();
  });
});
