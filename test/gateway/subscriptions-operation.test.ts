import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { encodeGlobalId } from '../../resolvers/global-id.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { hasSharedCapi, sharedCapiDir } from './support/gateway-fixture.ts';
import { eventually, gql } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { clusterAddress, startOperationsGateway } from './support/operations-fixture.ts';
import { wsSubscribe } from './support/ws-subscriber.ts';

const MC = 'opsub';

interface Op {
  phase: string;
  steps: Array<{ name: string; phase: string }>;
}

describe.skipIf(!hasSharedCapi)('operationUpdated over graphql-ws', () => {
  let mc: TestEmbeddedCluster;
  let app: App;

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
    app = await startOperationsGateway(MC, mc.kubeconfigPath);
    await kubectlOk(mc, ['apply', '-f', join(sharedCapiDir, 'templates/simple-cluster.yaml')]);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
  });

  it('follows an operation step by step to SUCCEEDED, then completes', async () => {
    const address = clusterAddress(MC, 'default', 'my-cluster');
    await eventually(
      async () => (app.gateway.fleet.reader.get(address) ? true : undefined),
      20_000,
      'the Cluster',
    );
    const res = await gql<{ pauseCluster: { __typename: string; operation?: { id: string } } }>(
      app.url,
      'mutation($id: ID!) { pauseCluster(id: $id) { __typename ... on ClusterOperationPayload { operation { id } } } }',
      { id: encodeGlobalId(address) },
    );
    const opId = res.data?.pauseCluster.operation?.id;
    expect(opId, JSON.stringify(res)).toBeDefined();
    const sub = wsSubscribe(
      app.url,
      'subscription($id: ID!) { operationUpdated(id: $id) { phase steps { name phase } } }',
      {
        id: opId,
      },
    );
    try {
      const outcome = await Promise.race([
        sub.done,
        new Promise((r) => setTimeout(() => r('timeout'), 60_000)),
      ]);
      expect(outcome, JSON.stringify(sub.results)).toBeUndefined();
      const values = sub.results.map((r) => (r.data as { operationUpdated: Op }).operationUpdated);
      expect(values.at(-1)).toEqual({
        phase: 'SUCCEEDED',
        steps: [
          { name: 'paused set', phase: 'SUCCEEDED' },
          { name: 'controllers paused', phase: 'SUCCEEDED' },
        ],
      });
      // Step by step: the number of finished steps never goes down, and no value repeats.
      const done = values.map((v) => v.steps.filter((s) => s.phase === 'SUCCEEDED').length);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      for (let i = 1; i < values.length; i++) expect(values[i]).not.toEqual(values[i - 1]);
    } finally {
      await sub.close();
    }
  }, 120_000);
});
