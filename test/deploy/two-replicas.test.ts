/**
 * Two `capi-gateway serve` processes over the same management cluster, as a Deployment with
 * replicas: 2 runs them. Both give the same answers; a mutation sent to either is driven by the
 * one holding the operations Lease; a subscription on the other follows it; kill -9 of the
 * driving replica mid-upgrade loses nothing — the other takes the Lease over and finishes the
 * operation, its subscriber seeing it to SUCCEEDED. All separate processes, as in production.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runKubectl, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { Day2ClusterDocument, Day2OperationDocument, UpgradeClusterDocument } from '../generated/graphql.ts';
import { applyYaml, items, plainClusterYaml, waitSettled } from '../gateway/support/day2-fleet.ts';
import { eventually, gql } from '../gateway/support/gql.ts';
import { wsSubscribe } from '../gateway/support/ws-subscriber.ts';
import { childTracker, graphqlLine, type CliChild } from '../cli/cli-child.ts';

const MC = 'mc';
const CLUSTER = 'k-replicas';
const FROM = 'v1.32.4';
const TO = 'v1.34.0';

interface Replica {
  child: CliChild;
  url: string;
  pid: number;
}

async function data<T>(res: Promise<{ data?: T | null; errors?: unknown }>): Promise<T> {
  const { data: value, errors } = await res;
  if (errors !== undefined || value == null) throw new Error(JSON.stringify(errors));
  return value;
}

describe('two gateway replicas over one management cluster', () => {
  const children = childTracker();
  let dir: string;
  let mc: TestEmbeddedCluster;
  let configPath: string;

  const serve = async (): Promise<Replica> => {
    const child = children.start(['serve', '--port', '0', '--config', configPath]);
    const [, url] = await child.waitForStdout(graphqlLine, 60_000);
    return { child, url: url!, pid: child.child.pid! };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-replicas-'));
    const dataDir = join(dir, 'mc');
    const embedded = children.start([
      'embedded',
      '--no-demo',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--speed',
      '15',
    ]);
    await embedded.waitForStdout(/kubeconfig:/, 60_000);
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
        version: FROM,
        controlPlaneReplicas: 1,
        workers: [{ name: 'a', replicas: 1 }],
      }),
    );
    configPath = join(dir, 'gateway.yaml');
    await writeFile(
      configPath,
      stringify({ managementClusters: [{ name: MC, kubeconfig: './mc/embedded.kubeconfig' }] }),
    );
    await waitSettled(mc, CLUSTER, 150_000);
  }, 240_000);

  afterAll(async () => {
    await children.stopAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serve the same answers, one drives the operation, the other takes over after kill -9', async () => {
    const replicas = [await serve(), await serve()];
    const clusterOn = async (r: Replica) =>
      (await data(gql(r.url, Day2ClusterDocument, { managementCluster: MC, name: CLUSTER }))).cluster;

    // Same answers from both (each from its own caches, once both have synced).
    const [a, b] = await eventually(
      async () => {
        const answers = await Promise.all(replicas.map(clusterOn));
        return answers.every((c) => c && 'id' in c) &&
          JSON.stringify(answers[0]) === JSON.stringify(answers[1])
          ? answers
          : undefined;
      },
      60_000,
      'both replicas to answer the same cluster',
    );
    expect(a).toEqual(b);
    const clusterId = (a as { id: string }).id;

    // The Lease names the replica that drives operations.
    const holder = await eventually(
      async () => {
        const lease = await mc.kubectl([
          'get',
          'leases.coordination.k8s.io',
          '-n',
          'kube-system',
          'capi-gateway-operations',
          '-o',
          'jsonpath={.spec.holderIdentity}',
        ]);
        const identity = lease.stdout.trim();
        return replicas.find((r) => identity.includes(`-${r.pid}-`));
      },
      60_000,
      'one replica to hold the operations Lease',
    );
    const other = replicas.find((r) => r !== holder)!;

    // The mutation goes to the replica that does NOT hold the Lease: any replica accepts it.
    const upgraded = await eventually(
      async () => {
        const res = await gql(other.url, UpgradeClusterDocument, { id: clusterId, version: TO });
        const payload = res.data?.upgradeCluster;
        return payload?.__typename === 'UpgradeClusterPayload' ? payload : undefined;
      },
      60_000,
      'upgradeCluster to be accepted',
    );
    const opId = upgraded.operation.id;
    const subscriber = wsSubscribe(
      other.url,
      'subscription($id: ID!) { operationUpdated(id: $id) { phase steps { name phase } } }',
      {
        id: opId,
      },
    );

    // Driven by the Lease holder, seen the same from both replicas.
    const running = await eventually(
      async () => {
        const op = (await data(gql(other.url, Day2OperationDocument, { id: opId }))).operation;
        return op && op.steps[0]?.phase === 'SUCCEEDED' ? op : undefined;
      },
      120_000,
      'the first control-plane minor to be done',
    );
    expect(running.phase).toBe('RUNNING');
    const drivenBy = async () =>
      (
        await mc.kubectl([
          'get',
          'operations.capi-gateway.dev',
          '-A',
          '-o',
          'jsonpath={.items[*].status.drivenBy}',
        ])
      ).stdout.trim();
    expect(await drivenBy()).toMatch(new RegExp(`-${holder.pid}-`));
    expect((await data(gql(holder.url, Day2OperationDocument, { id: opId }))).operation?.id).toBe(opId);

    await holder.child.stop('SIGKILL');

    // The other replica takes the Lease over once it expires and finishes from where it was.
    const finished = await eventually(
      async () => {
        const op = (await data(gql(other.url, Day2OperationDocument, { id: opId }))).operation;
        return op && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(op.phase) ? op : undefined;
      },
      240_000,
      `operation ${opId} to finish`,
    );
    expect(finished.phase, `${finished.error ?? ''} ${JSON.stringify(finished.steps)}`).toBe('SUCCEEDED');
    expect(await drivenBy()).toMatch(new RegExp(`-${other.pid}-`));

    // The subscriber on the surviving replica saw it through to the end.
    await subscriber.done;
    const phases = subscriber.results.map((r) => (r.data?.operationUpdated as { phase: string }).phase);
    expect(phases.at(-1)).toBe('SUCCEEDED');
    expect(phases).toContain('RUNNING');
    await subscriber.close();

    await waitSettled(mc, CLUSTER, 60_000);
    const machines = await items(mc, 'machines', CLUSTER);
    expect(machines.map((m) => m.spec.version)).toEqual([TO, TO]);
    const listed = await mc.kubectl(['get', 'operations.capi-gateway.dev', '-A', '-o', 'name']);
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
  }, 540_000);
});
