import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { startFakeApp } from './support/fake-app.ts';
import type { FakeTransport } from './support/fake-transport.ts';
import { gql } from './support/gql.ts';
import { rawWsClient, type RawWsClient } from './support/raw-ws-client.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';
import { waitUntil } from './support/ws-subscriber.ts';

// Memory figures need a full collection first; vitest does not start node with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const memory = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const MB = 1024 * 1024;

/** Every field of all 800 Machines: a result of about 150 KB. */
const BIG = `subscription($id: ID!) { clusterUpdated(id: $id) { machines {
  name phase version providerID nodeName failureDomain bootstrapReady infrastructureReady controlPlane
  addresses { type address } } } }`;
const SMALL = 'subscription($id: ID!) { clusterUpdated(id: $id) { machines { nodeName } } }';
const EVENTS = `subscription($id: ID!) { machineEvents(clusterId: $id) { type current { name nodeName } } }`;

describe('a slow subscriber', () => {
  let app: App;
  let transport: FakeTransport;
  let objects: KubeObject[];
  let id: string;
  let step = 0;
  const clients: RawWsClient[] = [];

  /** Renames one worker's node: one new state of the cluster's tree. */
  const changeOneMachine = (): string => {
    const workers = objects.filter((o) => o.kind === 'Machine' && !o.metadata.name.includes('-cp-'));
    const machine = structuredClone(workers[step % workers.length]!);
    const node = `node-${++step}`;
    (machine.status as Record<string, unknown>)['nodeRef'] = { name: node };
    objects = objects.map((o) =>
      o.kind === 'Machine' && o.metadata.name === machine.metadata.name ? machine : o,
    );
    transport.put(machine);
    return node;
  };

  const client = async (): Promise<RawWsClient> => {
    const c = await rawWsClient(app.url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    objects = syntheticFleet({ clusters: 1, controlPlaneMachines: 1, workerMachines: 800 });
    ({ app, transport } = await startFakeApp(objects, { subscriptions: { coalesceMs: 5 } }));
    const res = await gql<{ clusters: { edges: Array<{ node: { id: string } }> } }>(
      app.url,
      '{ clusters { edges { node { id } } } }',
    );
    id = res.data!.clusters.edges[0]!.node.id;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await waitUntil(() => app.gateway.changes.listenerCount === 0, 10_000, 'no listener left');
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('that stops reading costs bounded memory, keeps its connection and, reading again, gets the latest state', async () => {
    const reader = await client();
    const stalled = await client();
    reader.subscribe('r', BIG, { id });
    stalled.subscribe('s', BIG, { id });
    await waitUntil(
      () => reader.counts.get('r') === 1 && stalled.counts.get('s') === 1,
      10_000,
      'first values',
    );
    const size = JSON.stringify(reader.last.get('r')).length;
    stalled.pause();
    const before = memory();
    const changes = 150;
    for (let i = 0; i < changes; i++) {
      changeOneMachine();
      // Each change is one state the reading subscriber receives (no two folded together).
      await waitUntil(() => reader.counts.get('r') === i + 2, 20_000, `state ${i + 2} at the reader`);
    }
    const grown = memory() - before;
    // What the stalled subscriber was owed exceeds by far what the gateway holds for it.
    expect(changes * size).toBeGreaterThan(30 * MB);
    expect(grown).toBeLessThan(8 * MB);
    let closedEarly = false;
    void stalled.closed.then(() => (closedEarly = true));
    stalled.resume();
    await waitUntil(
      () => JSON.stringify(stalled.last.get('s')) === JSON.stringify(reader.last.get('r')),
      30_000,
      'the stalled subscriber to reach the latest state',
    );
    // Intermediate states were dropped on its behalf, the latest kept.
    expect(stalled.counts.get('s')).toBeLessThan(changes + 1);
    expect(closedEarly).toBe(false);
  }, 120_000);

  it('with too much waiting on its connection is closed with 4413; a reading subscriber of the same cluster misses nothing', async () => {
    const reader = await client();
    const stalled = await client();
    reader.subscribe('r', SMALL, { id });
    await waitUntil(() => reader.counts.get('r') === 1, 10_000, 'the reader’s first value');
    // A dashboard of many large panels that stops reading: one result each is more than 4 MB.
    stalled.pause();
    for (let i = 0; i < 40; i++) stalled.subscribe(`s${i}`, BIG, { id });
    let node = '';
    for (let i = 0; i < 20; i++) {
      node = changeOneMachine();
      await waitUntil(() => reader.counts.get('r') === i + 2, 20_000, `state ${i + 2} at the reader`);
    }
    stalled.resume();
    expect(await stalled.closed).toEqual({ code: 4413, reason: 'Subscriber too far behind' });
    // Its subscriptions are gone; the reader's stays and goes on.
    await waitUntil(() => app.gateway.changes.listenerCount === 1, 10_000, 'only the reader’s listener');
    expect(JSON.stringify(reader.last.get('r'))).toContain(node);
    node = changeOneMachine();
    await waitUntil(() => reader.counts.get('r') === 22, 10_000, 'the reader’s next state');
    expect(JSON.stringify(reader.last.get('r'))).toContain(node);
    reader.close();
    await waitUntil(() => app.gateway.changes.listenerCount === 0, 10_000, 'no listener left');
  }, 120_000);

  it('of machine events that falls behind a burst beyond its buffer is closed with 4413, not handed a gapped history', async () => {
    const events = await client();
    const states = await client();
    events.subscribe('e', EVENTS, { id });
    states.subscribe('c', SMALL, { id });
    await waitUntil(() => states.counts.get('c') === 1, 10_000, 'the state subscriber’s first value');
    await waitUntil(() => app.gateway.changes.listenerCount === 2, 10_000, 'both listening');
    // 1,100 batches in one go, faster than any client reads (each flushed as its own batch).
    let node = '';
    for (let i = 0; i < 1_100; i++) {
      node = changeOneMachine();
      app.gateway.changes.flush();
    }
    expect(await events.closed).toEqual({ code: 4413, reason: 'Subscriber too far behind' });
    // The state subscriber gets the latest state (intermediate ones may be dropped) and stays.
    await waitUntil(
      () => JSON.stringify(states.last.get('c') ?? '').includes(`"${node}"`),
      20_000,
      'the latest state at the state subscriber',
    );
    await waitUntil(() => app.gateway.changes.listenerCount === 1, 10_000, 'only the state subscriber');
    states.close();
    await waitUntil(() => app.gateway.changes.listenerCount === 0, 10_000, 'no listener left');
  }, 120_000);
});
