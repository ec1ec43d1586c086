/**
 * `clusters(orderBy:)` at 10,000 clusters: sorted once per request from the caches, no request
 * to a management cluster. Timings are printed for information only: speed targets belong to the
 * benchmarks (npm run bench), not to tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { inProcessGateway, type InProcessGateway } from './support/in-process-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

const clusters = 10_000;
const namespaces = 10;
const versions = ['v1.31.9', 'v1.32.4', 'v1.33.1', 'v1.9.0', 'v1.10.2'];
const phases = ['Provisioned', 'Provisioning', 'Pending', 'Deleting'];

/** `clusters` in `namespaces` namespaces, with varied phases, versions and creation times. */
function fleet(): KubeObject[] {
  const per = clusters / namespaces;
  const objects: KubeObject[] = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = `site-${String(n).padStart(2, '0')}`;
    for (const o of syntheticFleet({
      clusters: per,
      controlPlaneMachines: 0,
      workerMachines: 0,
      namespace: ns,
    })) {
      if (o.kind !== 'Cluster' && o.kind !== 'KubeadmControlPlane') continue;
      const i = Number(/cluster-(\d+)/.exec(o.metadata.name)![1]) * namespaces + n;
      const metadata = { ...o.metadata, uid: `${ns}-${o.metadata.uid}` };
      if (o.kind === 'Cluster') {
        const created = new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % clusters) * 60_000).toISOString();
        objects.push({
          ...o,
          metadata: { ...metadata, creationTimestamp: created.replace('.000Z', 'Z') },
          status: { ...(o['status'] as object), phase: phases[i % phases.length] },
        });
      } else {
        objects.push({
          ...o,
          metadata,
          spec: { ...(o['spec'] as object), version: versions[i % versions.length] },
        });
      }
    }
  }
  return objects;
}

const query = `query($orderBy: ClusterOrder, $after: String, $filter: ClusterFilter) {
  clusters(first: 100, orderBy: $orderBy, after: $after, filter: $filter) {
    totalCount pageInfo { endCursor } edges { node { name namespace phase kubernetesVersion createdAt } } } }`;

describe(`clusters(orderBy:) at ${clusters} clusters`, () => {
  let g: InProcessGateway;
  beforeAll(async () => {
    g = await inProcessGateway({ big: fleet() });
  }, 120_000);
  afterAll(() => g?.stop());

  async function timed(
    variables: Record<string, unknown>,
    runs = 5,
  ): Promise<{ ms: number; endCursor: string }> {
    const times: number[] = [];
    let endCursor = '';
    for (let i = 0; i <= runs; i++) {
      const start = performance.now();
      const res = await g.query<{ clusters: { totalCount: number; pageInfo: { endCursor: string } } }>(
        query,
        variables,
      );
      if (i > 0) times.push(performance.now() - start);
      expect(res.errors).toBeUndefined();
      endCursor = res.data!.clusters.pageInfo.endCursor;
    }
    times.sort((a, b) => a - b);
    return { ms: Math.round(times[Math.floor(times.length / 2)]!), endCursor };
  }

  it('answers ordered pages (first, next, filtered) from the caches alone, with no request to the management cluster', async () => {
    const transport = g.transports.get('big')!;
    const before = { ...transport.requests };
    const plain = await timed({});
    const report: string[] = [`default order ${plain.ms} ms`];
    for (const field of ['NAME', 'PHASE', 'KUBERNETES_VERSION', 'CREATED']) {
      const orderBy = { field, direction: 'DESC' };
      const first = await timed({ orderBy });
      const next = await timed({ orderBy, after: first.endCursor });
      const filtered = await timed({ orderBy, filter: { phase: 'Provisioned' } });
      report.push(`${field} DESC ${first.ms} ms (next page ${next.ms} ms, filtered ${filtered.ms} ms)`);
    }
    console.log(`clusters(first: 100) p50 at ${clusters} clusters: ${report.join('; ')}`);
    expect(transport.requests.get - before.get).toBe(0);
    expect(transport.requests.list - before.list).toBe(0);
  }, 120_000);
});
