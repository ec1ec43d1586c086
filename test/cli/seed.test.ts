/**
 * `--seed FILE`: a fleet loaded into the embedded management cluster before it listens, from
 * the file `npm run seed:generate` writes (NDJSON) or from `kubectl get -o json` output (a List).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childTracker, finished, graphqlLine, pollUntil, query } from './cli-child.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(repo, 'node_modules', '.bin', 'tsx');

interface ClustersAnswer {
  data?: { clusters: { totalCount: number; edges: Array<{ node: { namespace: string; name: string } }> } };
}

const clustersQuery = '{ clusters(first: 100) { totalCount edges { node { namespace name } } } }';

describe('serve / embedded --seed FILE', () => {
  const children = childTracker();
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-seed-'));
  });
  afterAll(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the clusters of a generated seed file, and no demo fleet with --no-demo', async () => {
    const seed = join(dir, 'fleet.ndjson');
    const generated = await promisify(execFile)(
      tsx,
      ['scripts/generate-seed.ts', '--clusters', '3', '--per-namespace', '2', '--out', seed],
      { cwd: repo },
    );
    // 44 objects per cluster, 3 machine templates each, 2 namespaces.
    expect(generated.stdout).toBe(`${seed}: 143 objects, 3 clusters\n`);
    const gateway = children.start(['serve', '--seed', seed, '--no-demo', '--ephemeral', '--port', '0']);
    const url = (await gateway.waitForStdout(graphqlLine, 120_000))[1]!;
    expect(gateway.stdout()).toMatch(/note: seeded 143 objects \(\d+ writes\)\n/);
    const answer = (await pollUntil(
      'the seeded clusters through GraphQL',
      () => query(url, clustersQuery) as Promise<ClustersAnswer>,
      (a) => a.data?.clusters.totalCount === 3,
    )) as ClustersAnswer;
    expect(answer.data!.clusters.edges.map((e) => `${e.node.namespace}/${e.node.name}`).sort()).toEqual([
      'sites-000/cluster-0000',
      'sites-000/cluster-0001',
      'sites-001/cluster-0000',
    ]);
  }, 180_000);

  it('takes `kubectl get -o json` output (a List) as a seed file', async () => {
    const seed = join(dir, 'list.json');
    const cluster = (name: string) => ({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name, namespace: 'from-kubectl' },
      spec: {
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerCluster', name },
      },
    });
    await writeFile(
      seed,
      JSON.stringify(
        {
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'from-kubectl' } },
            cluster('a'),
            cluster('b'),
          ],
        },
        null,
        2,
      ),
    );
    const gateway = children.start(['serve', '--seed', seed, '--no-demo', '--ephemeral', '--port', '0']);
    const url = (await gateway.waitForStdout(graphqlLine, 120_000))[1]!;
    await pollUntil(
      'the two clusters of the List',
      () => query(url, clustersQuery) as Promise<ClustersAnswer>,
      (a) => a.data?.clusters.totalCount === 2,
    );
  }, 180_000);

  it('a missing or malformed seed file: one line, exit 2, no data dir left behind', async () => {
    const missing = await finished(['embedded', '--seed', join(dir, 'nope.ndjson'), '--ephemeral']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^capi-gateway: cannot start the embedded management cluster: cannot read seed file .*nope\.ndjson: ENOENT/,
    );
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const bad = join(dir, 'bad.ndjson');
    await writeFile(
      bad,
      '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}\n{"kind": "Cluster"}\n',
    );
    const dataDir = join(dir, 'bad-data');
    const malformed = await finished(['embedded', '--seed', bad, '--data-dir', dataDir]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe(
      `capi-gateway: cannot start the embedded management cluster: ${bad}:2: not a Kubernetes object (apiVersion, kind and metadata are required)\n`,
    );
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});
