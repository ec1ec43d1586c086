/**
 * A real embedded management cluster, as its own process, killed with SIGKILL and started
 * again on the same data dir under 100 clusterUpdated subscribers and one clusterEvents
 * subscriber: each stream gets an error on its path while the management cluster is away, then,
 * without resubscribing, the cluster's state again — through to the final state of a scale
 * made after the restart — and the fleet stream sees no second ADDED.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { runKubectl, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { childTracker, type CliChild } from '../cli/cli-child.ts';
import { applyYaml, plainClusterYaml, waitSettled } from './support/day2-fleet.ts';
import { eventually, gql } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { waitUntil, wsSubscribe, type Received, type WsSubscriber } from './support/ws-subscriber.ts';

const CLUSTER = 'k-restart';
const MD = `${CLUSTER}-a`;
const UPDATED = `subscription($id: ID!) { clusterUpdated(id: $id) {
  name machineDeployments { name replicas ready } } }`;
const EVENTS = 'subscription { clusterEvents { type cluster { name } } }';

interface Tree {
  name: string;
  machineDeployments: Array<{ name: string; replicas: number; ready: number }>;
}

const unavailable = (r: Received): boolean =>
  r.errors?.some(
    (e) =>
      e.extensions?.['code'] === 'MANAGEMENT_CLUSTER_UNAVAILABLE' &&
      (e.path?.[0] === 'clusterUpdated' || e.path?.[0] === 'clusterEvents'),
  ) === true;
const tree = (r: Received): Tree | undefined => (r.data as { clusterUpdated?: Tree } | null)?.clusterUpdated;

describe('subscriptions while the management cluster process is killed and restarted', () => {
  const children = childTracker();
  let dir: string;
  let dataDir: string;
  let embedded: CliChild;
  let mc: TestEmbeddedCluster;
  let app: App;

  const startEmbedded = async (): Promise<CliChild> => {
    const child = children.start([
      'embedded',
      '--no-demo',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--speed',
      '50',
    ]);
    await child.waitForStdout(/kubeconfig:/, 60_000);
    return child;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-subs-restart-'));
    dataDir = join(dir, 'mc');
    embedded = await startEmbedded();
    const kubeconfigPath = join(dataDir, 'embedded.kubeconfig');
    mc = {
      url: '',
      kubeconfigPath,
      dataDir,
      kubectl: (args, stdin) => runKubectl(kubeconfigPath, args, stdin),
      stop: () => embedded.stop('SIGKILL'),
    };
    await applyYaml(
      mc,
      plainClusterYaml({
        name: CLUSTER,
        version: 'v1.32.4',
        controlPlaneReplicas: 1,
        workers: [{ name: 'a', replicas: 1 }],
      }),
    );
    await waitSettled(mc, CLUSTER, 150_000);
    app = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [{ name: 'mc', kubeconfigPath }],
      connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
    });
    await app.start();
    expect(await app.gateway.fleet.whenSynced(20_000)).toBe(true);
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await children.stopAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every stream reports the outage on its path, then resumes to the final state without resubscribing', async () => {
    const id = await eventually(
      async () =>
        (
          await gql<{ clusters: { edges: Array<{ node: { id: string } }> } }>(
            app.url,
            `{ clusters(filter: { nameContains: "${CLUSTER}" }) { edges { node { id } } } }`,
          )
        ).data?.clusters.edges[0]?.node.id,
      30_000,
      'the cluster in the gateway',
    );
    const subs: WsSubscriber[] = Array.from({ length: 100 }, () => wsSubscribe(app.url, UPDATED, { id }));
    const fleet = wsSubscribe(app.url, EVENTS);
    let ended = 0;
    for (const s of [...subs, fleet]) void s.done.then(() => ended++);
    try {
      await Promise.all(subs.map((s) => s.waitFor(1, 30_000)));
      await fleet.waitFor(1, 30_000);
      expect(tree(subs[0]!.results[0]!)?.machineDeployments).toEqual([{ name: MD, replicas: 1, ready: 1 }]);

      await embedded.stop('SIGKILL');
      await waitUntil(
        () => [...subs, fleet].every((s) => s.results.some(unavailable)),
        60_000,
        'every subscriber (clusterEvents too) to hear that the management cluster is unavailable',
      );

      embedded = await startEmbedded();
      await kubectlOk(mc, ['scale', 'machinedeployment', MD, '--replicas=2', '-n', 'default']);
      const final = { name: CLUSTER, machineDeployments: [{ name: MD, replicas: 2, ready: 2 }] };
      await waitUntil(
        () => subs.every((s) => JSON.stringify(tree(s.results.at(-1)!)) === JSON.stringify(final)),
        150_000,
        'every subscriber to see the scale after the restart through to two ready replicas',
      );
      // The same subscriptions throughout: none ended, each went value → error → values.
      expect(ended).toBe(0);
      for (const s of subs) {
        const outage = s.results.findIndex(unavailable);
        expect(outage).toBeGreaterThan(0);
        expect(s.results.slice(outage + 1).some((r) => tree(r)?.name === CLUSTER)).toBe(true);
        expect(tree(s.results.at(-1)!)).toEqual(final);
      }
      // A relist after the restart announces no second ADDED of the cluster.
      const types = fleet.results
        .map(
          (r) =>
            (r.data as { clusterEvents?: { type: string; cluster: { name: string } | null } } | null)
              ?.clusterEvents,
        )
        .filter((e) => e?.cluster?.name === CLUSTER)
        .map((e) => e!.type);
      expect(types[0]).toBe('ADDED');
      // The outage was an error on the clusterEvents path, and events went on after it.
      const outage = fleet.results.findIndex(unavailable);
      expect(outage).toBeGreaterThan(0);
      expect(fleet.results.slice(outage + 1).some((r) => r.errors === undefined)).toBe(true);
      expect(types.slice(1)).not.toContain('ADDED');
    } finally {
      await Promise.all([...subs, fleet].map((s) => s.close()));
    }
    await expect.poll(() => app.gateway.changes.listenerCount, { timeout: 10_000 }).toBe(0);
  }, 300_000);
});
