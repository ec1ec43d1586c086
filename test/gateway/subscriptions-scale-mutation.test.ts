/**
 * A scale made through the gateway's own mutation, watched live over graphql-ws: clusterUpdated
 * shows the desired and ready counters and the new machines move forward, in order, to the
 * target; machineEvents shows each new machine ADDED then its phases with previous and current;
 * operationUpdated follows the scale operation through successive states to SUCCEEDED and
 * completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { applyYaml, plainClusterYaml, waitSettled } from './support/day2-fleet.ts';
import { clusterIds, MC } from './support/day2-gateway.ts';
import { gql } from './support/gql.ts';
import { startOperationsGateway } from './support/operations-fixture.ts';
import { waitUntil, wsSubscribe, type Received } from './support/ws-subscriber.ts';

const CLUSTER = 'k-sub-scale';
const UPGRADED = 'k-sub-upgrade';

const UPDATED = `subscription($id: ID!) { clusterUpdated(id: $id) {
  machineDeployments { name desired ready } machines { name phase controlPlane } } }`;
const EVENTS = `subscription($id: ID!) { machineEvents(clusterId: $id) {
  type previous { name phase } current { name phase controlPlane } } }`;
const OPERATION = `subscription($id: ID!) { operationUpdated(id: $id) {
  phase progress steps { name phase message } } }`;

interface Tree {
  machineDeployments: Array<{ name: string; desired: number; ready: number }>;
  machines: Array<{ name: string; phase: string; controlPlane: boolean }>;
}
interface MachineEvent {
  type: string;
  previous: { name: string; phase: string } | null;
  current: { name: string; phase: string; controlPlane: boolean } | null;
}
interface Op {
  phase: string;
  progress: number | null;
  steps: Array<{ name: string; phase: string; message: string | null }>;
}

const phaseOrder = ['Pending', 'Provisioning', 'Provisioned', 'Running'];
const opPhaseOrder = ['PENDING', 'RUNNING', 'SUCCEEDED'];
const values = <T>(results: Received[], field: string): T[] =>
  results.map((r) => (r.data as Record<string, T> | null)?.[field]).filter((v): v is T => !!v);

describe('a scale by mutation, watched through subscriptions', () => {
  let mc: TestEmbeddedCluster;
  let app: App;

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 20 });
    await applyYaml(
      mc,
      [CLUSTER, UPGRADED]
        .map((name) =>
          plainClusterYaml({
            name,
            version: 'v1.33.1',
            controlPlaneReplicas: 1,
            workers: [{ name: 'a', replicas: 1 }],
          }),
        )
        .join('\n---\n'),
    );
    app = await startOperationsGateway(MC, mc.kubeconfigPath);
    await waitSettled(mc, CLUSTER, 150_000);
    await waitSettled(mc, UPGRADED, 150_000);
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
  });

  it('shows counters and new machines moving forward in order, and the operation step by step to SUCCEEDED', async () => {
    const cluster = await clusterIds(app, CLUSTER);
    const md = cluster.machineDeployments[0]!;
    const updated = wsSubscribe(app.url, UPDATED, { id: cluster.id });
    const events = wsSubscribe(app.url, EVENTS, { id: cluster.id });
    const workers = (t: Tree) => t.machines.filter((m) => !m.controlPlane);
    try {
      const [first] = values<Tree>(await updated.waitFor(1), 'clusterUpdated');
      expect(first!.machineDeployments).toEqual([{ name: `${CLUSTER}-a`, desired: 1, ready: 1 }]);
      expect(workers(first!).map((m) => m.phase)).toEqual(['Running']);
      const before = new Set(first!.machines.map((m) => m.name));

      const res = await gql<{
        scaleMachineDeployment: { __typename: string; operation?: { id: string } };
      }>(
        app.url,
        `mutation($id: ID!) { scaleMachineDeployment(id: $id, replicas: 3) {
          __typename ... on ScaleMachineDeploymentPayload { operation { id } } } }`,
        { id: md.id },
      );
      const opId = res.data?.scaleMachineDeployment.operation?.id;
      expect(opId, JSON.stringify(res)).toBeDefined();
      const operation = wsSubscribe(app.url, OPERATION, { id: opId });

      // The operation: successive states through to SUCCEEDED, then the stream completes.
      const outcome = await Promise.race([
        operation.done,
        new Promise((r) => setTimeout(() => r('timeout'), 120_000)),
      ]);
      expect(outcome, JSON.stringify(operation.results)).toBeUndefined();
      const ops = values<Op>(operation.results, 'operationUpdated');
      expect(ops.at(-1)).toMatchObject({
        phase: 'SUCCEEDED',
        steps: [
          { name: 'replicas-requested', phase: 'SUCCEEDED' },
          { name: 'replicas-ready', phase: 'SUCCEEDED' },
        ],
      });
      expect(ops.length, JSON.stringify(ops)).toBeGreaterThanOrEqual(3);
      // Seen under way: the ready step running with what it waits for.
      expect(
        ops.some(
          (o) =>
            o.phase === 'RUNNING' &&
            o.steps[1]?.phase === 'RUNNING' &&
            /waiting/.test(o.steps[1].message ?? ''),
        ),
        JSON.stringify(ops),
      ).toBe(true);
      for (let i = 1; i < ops.length; i++) {
        const [a, b] = [ops[i - 1]!, ops[i]!];
        expect(b).not.toEqual(a);
        expect(opPhaseOrder.indexOf(b.phase)).toBeGreaterThanOrEqual(opPhaseOrder.indexOf(a.phase));
        const finished = (o: Op) => o.steps.filter((s) => s.phase === 'SUCCEEDED').length;
        expect(finished(b)).toBeGreaterThanOrEqual(finished(a));
        expect(b.progress ?? 0).toBeGreaterThanOrEqual(a.progress ?? 0);
      }

      // The cluster: desired moves to 3 once, ready climbs to 3, the new workers appear and only move forward.
      await waitUntil(
        () => {
          const t = values<Tree>(updated.results, 'clusterUpdated').at(-1)!;
          return t.machineDeployments[0]!.ready === 3 && workers(t).every((m) => m.phase === 'Running');
        },
        60_000,
        'three ready, running workers',
      );
      const trees = values<Tree>(updated.results, 'clusterUpdated');
      expect(trees.length).toBeGreaterThanOrEqual(3);
      const desired = trees.map((t) => t.machineDeployments[0]!.desired);
      expect(desired).toEqual([...desired].sort((a, b) => a - b));
      expect(new Set(desired)).toEqual(new Set([1, 3]));
      const ready = trees.map((t) => t.machineDeployments[0]!.ready);
      expect(ready).toEqual([...ready].sort((a, b) => a - b));
      expect(ready.at(-1)).toBe(3);
      const last = new Map<string, number>();
      for (const t of trees)
        for (const m of t.machines) {
          const at = phaseOrder.indexOf(m.phase);
          if (at < 0) continue;
          expect(
            at,
            `${m.name} went from ${phaseOrder[last.get(m.name) ?? 0]} to ${m.phase}`,
          ).toBeGreaterThanOrEqual(last.get(m.name) ?? 0);
          last.set(m.name, at);
        }
      const added = workers(trees.at(-1)!).filter((m) => !before.has(m.name));
      expect(added).toHaveLength(2);

      // machineEvents: each new machine ADDED first, then its transitions with previous and current.
      await waitUntil(
        () =>
          added.every((m) =>
            values<MachineEvent>(events.results, 'machineEvents').some(
              (e) => e.current?.name === m.name && e.current.phase === 'Running',
            ),
          ),
        30_000,
        'machine events up to Running for the new workers',
      );
      const machineEvents = values<MachineEvent>(events.results, 'machineEvents');
      for (const m of added) {
        const own = machineEvents.filter((e) => (e.current ?? e.previous)?.name === m.name);
        expect(own[0]).toMatchObject({ type: 'ADDED', previous: null });
        for (const e of own.slice(1)) {
          expect(e.type).toBe('MODIFIED');
          expect(e.previous?.name).toBe(m.name);
        }
        const phases = own.map((e) => phaseOrder.indexOf(e.current!.phase)).filter((p) => p >= 0);
        expect(phases).toEqual([...phases].sort((a, b) => a - b));
      }
      await operation.close();
    } finally {
      await updated.close();
      await events.close();
    }
    await expect.poll(() => app.gateway.changes.listenerCount, { timeout: 10_000 }).toBe(0);
  }, 240_000);

  it('follows an upgrade operation step by step to SUCCEEDED, then completes', async () => {
    const cluster = await clusterIds(app, UPGRADED);
    const res = await gql<{ upgradeCluster: { __typename: string; operation?: { id: string } } }>(
      app.url,
      `mutation($id: ID!) { upgradeCluster(id: $id, version: "v1.34.0") {
        __typename ... on UpgradeClusterPayload { operation { id } } } }`,
      { id: cluster.id },
    );
    const opId = res.data?.upgradeCluster.operation?.id;
    expect(opId, JSON.stringify(res)).toBeDefined();
    const operation = wsSubscribe(app.url, OPERATION, { id: opId });
    try {
      const outcome = await Promise.race([
        operation.done,
        new Promise((r) => setTimeout(() => r('timeout'), 180_000)),
      ]);
      expect(outcome, JSON.stringify(operation.results)).toBeUndefined();
      const ops = values<Op>(operation.results, 'operationUpdated');
      expect(ops.at(-1)?.phase, JSON.stringify(ops.at(-1))).toBe('SUCCEEDED');
      expect(ops.at(-1)!.steps.map((s) => [s.name, s.phase])).toEqual([
        ['control-plane/v1.34', 'SUCCEEDED'],
        [`machine-deployment/${UPGRADED}-a`, 'SUCCEEDED'],
      ]);
      // Step by step: seen with a step under way, each value later than the one before.
      expect(ops.length, JSON.stringify(ops)).toBeGreaterThanOrEqual(3);
      expect(ops.some((o) => o.steps.some((s) => s.phase === 'RUNNING'))).toBe(true);
      const finished = (o: Op) => o.steps.filter((s) => s.phase === 'SUCCEEDED').length;
      for (let i = 1; i < ops.length; i++) {
        expect(ops[i]).not.toEqual(ops[i - 1]);
        expect(opPhaseOrder.indexOf(ops[i]!.phase)).toBeGreaterThanOrEqual(
          opPhaseOrder.indexOf(ops[i - 1]!.phase),
        );
        expect(finished(ops[i]!)).toBeGreaterThanOrEqual(finished(ops[i - 1]!));
      }
    } finally {
      await operation.close();
    }
  }, 240_000);
});
