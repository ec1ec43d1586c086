/**
 * operationUpdated while the operation's management cluster goes away: the subscriber gets
 * MANAGEMENT_CLUSTER_UNAVAILABLE on the path and the stream stays open (the operation lives in
 * that management cluster; it has not ended, the gateway just cannot see it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { applyYaml, plainClusterYaml } from './support/day2-fleet.ts';
import { clusterIds, MC } from './support/day2-gateway.ts';
import { eventually, gql } from './support/gql.ts';
import { startOperationsGateway } from './support/operations-fixture.ts';
import { waitUntil, wsSubscribe, type Received } from './support/ws-subscriber.ts';

const CLUSTER = 'k-op-outage';
const OPERATION = 'subscription($id: ID!) { operationUpdated(id: $id) { phase } }';

const unavailable = (r: Received): boolean =>
  r.errors?.some(
    (e) => e.extensions?.['code'] === 'MANAGEMENT_CLUSTER_UNAVAILABLE' && e.path?.[0] === 'operationUpdated',
  ) === true;

describe('operationUpdated while its management cluster goes away', () => {
  let mc: TestEmbeddedCluster;
  let app: App;
  let stopped = false;

  beforeAll(async () => {
    // Speed 1: the new machines take many seconds, so the scale is still running at the outage.
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 1 });
    await applyYaml(
      mc,
      plainClusterYaml({
        name: CLUSTER,
        version: 'v1.33.1',
        controlPlaneReplicas: 1,
        workers: [{ name: 'a', replicas: 1 }],
      }),
    );
    app = await startOperationsGateway(MC, mc.kubeconfigPath);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    if (!stopped) await mc?.stop();
  });

  it('answers an error on the path and keeps the stream open', async () => {
    const cluster = await eventually(
      async () => {
        const c = await clusterIds(app, CLUSTER).catch(() => undefined);
        return c && c.machineDeployments.length > 0 ? c : undefined;
      },
      60_000,
      'the cluster and its MachineDeployment in the gateway',
    );
    const res = await gql<{ scaleMachineDeployment: { __typename: string; operation?: { id: string } } }>(
      app.url,
      `mutation($id: ID!) { scaleMachineDeployment(id: $id, replicas: 3) {
        __typename ... on ScaleMachineDeploymentPayload { operation { id } } } }`,
      { id: cluster.machineDeployments[0]!.id },
    );
    const opId = res.data?.scaleMachineDeployment.operation?.id;
    expect(opId, JSON.stringify(res)).toBeDefined();
    const sub = wsSubscribe(app.url, OPERATION, { id: opId });
    let ended = false;
    void sub.done.then(() => (ended = true));
    try {
      const [first] = await sub.waitFor(1, 30_000);
      const phase = (first!.data as { operationUpdated: { phase: string } }).operationUpdated.phase;
      expect(['PENDING', 'RUNNING']).toContain(phase);
      await mc.stop();
      stopped = true;
      await waitUntil(() => sub.results.some(unavailable), 60_000, 'the subscriber to hear of the outage');
      expect(ended).toBe(false);
    } finally {
      await sub.close();
    }
  }, 180_000);
});
