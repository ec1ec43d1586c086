import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { hasSharedCapi, sharedCapiDir } from './support/gateway-fixture.ts';
import { eventually, gql } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { wsSubscribe, type Received } from './support/ws-subscriber.ts';

interface Tree {
  machineDeployments: Array<{ name: string; replicas: number; ready: number }>;
  machines: Array<{ name: string; phase: string; controlPlane: boolean }>;
}

const SUB = `subscription($id: ID!) { clusterUpdated(id: $id) {
  machineDeployments { name replicas ready } machines { name phase controlPlane } } }`;

const machinePhaseOrder = ['Pending', 'Provisioning', 'Provisioned', 'Running'];

describe.skipIf(!hasSharedCapi)(
  'clusterUpdated over graphql-ws while kubectl scales a MachineDeployment',
  () => {
    let mc: TestEmbeddedCluster;
    let app: App;

    beforeAll(async () => {
      mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
      app = await buildApp({
        host: '127.0.0.1',
        port: 0,
        managementClusters: [{ name: 'embedded', kubeconfigPath: mc.kubeconfigPath }],
        connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
      });
      await app.start();
      expect(await app.gateway.fleet.whenSynced(20_000)).toBe(true);
      await kubectlOk(mc, ['apply', '-f', join(sharedCapiDir, 'templates/simple-cluster.yaml')]);
    }, 120_000);

    afterAll(async () => {
      await app?.stop();
      await mc?.stop();
    });

    it('sees replicas and machine phases reach the target, in order', async () => {
      const id = await eventually(
        async () =>
          (
            await gql<{ clusters: { edges: Array<{ node: { id: string } }> } }>(
              app.url,
              '{ clusters { edges { node { id } } } }',
            )
          ).data?.clusters.edges[0]?.node.id,
        30_000,
        'the cluster in the gateway',
      );
      const sub = wsSubscribe(app.url, SUB, { id });
      const trees = (): Tree[] =>
        sub.results
          .map((r: Received) => (r.data as { clusterUpdated: Tree } | null)?.clusterUpdated)
          .filter((t): t is Tree => !!t);
      const workersRunning = (t: Tree | undefined, n: number): boolean =>
        !!t && t.machines.filter((m) => !m.controlPlane && m.phase === 'Running').length === n;
      try {
        await eventually(
          async () => (workersRunning(trees().at(-1), 1) ? true : undefined),
          60_000,
          'one running worker',
        );
        const from = trees().length - 1;
        await kubectlOk(mc, ['scale', 'machinedeployment', 'worker-md-0', '--replicas=3', '-n', 'default']);
        await eventually(
          async () => {
            const t = trees().at(-1);
            return workersRunning(t, 3) && t?.machineDeployments[0]?.ready === 3 ? true : undefined;
          },
          60_000,
          'three running workers and three ready replicas',
        );
        const seen = trees().slice(from);
        // Every value differs from the one before (only selected fields changing are sent).
        for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toEqual(seen[i - 1]);
        // The desired replicas move to 3 once; ready never goes backwards; each machine's phase
        // only moves forward.
        const ready = seen.map((t) => t.machineDeployments[0]!.ready);
        expect(ready).toEqual([...ready].sort((a, b) => a - b));
        expect(seen.at(-1)!.machineDeployments[0]!.replicas).toBe(3);
        const lastPhase = new Map<string, number>();
        for (const t of seen)
          for (const m of t.machines) {
            const at = machinePhaseOrder.indexOf(m.phase);
            if (at < 0) continue;
            expect(at).toBeGreaterThanOrEqual(lastPhase.get(m.name) ?? 0);
            lastPhase.set(m.name, at);
          }
      } finally {
        await sub.close();
      }
      await expect.poll(() => app.gateway.changes.listenerCount, { timeout: 5_000 }).toBe(0);
    }, 150_000);
  },
);
