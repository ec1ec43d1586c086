/**
 * `clusters(orderBy:)`: the server sorts the filtered clusters of every management cluster by
 * one field, ties by management cluster / namespace / name; pages walked with cursors equal
 * slices of that one sorted list, and a cursor of another order is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import {
  OrderedClustersDocument,
  type ClusterFilter,
  type ClusterOrder,
  type ClusterOrderField,
  type OrderedClustersQueryVariables,
} from '../generated/graphql.ts';
import { inProcessGateway, type InProcessGateway } from './support/in-process-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

const managementClusters = ['mc-b', 'mc-a', 'mc-c'];
const namespaces = ['west', 'east'];
const rawPhases = ['Provisioned', 'Pending', 'Provisioning', 'Deleting', 'Exploding', null, 'Failed'];
const versions = ['v1.33.0', 'v1.9.3', 'v1.10.0', 'v1.33.0-rc.1', null, 'v1.29.14'];

/** 7 clusters per namespace: names repeat across namespaces and management clusters (ties). */
function fleetOf(mc: string, m: number): KubeObject[] {
  return namespaces.flatMap((ns, n) =>
    syntheticFleet({ clusters: 7, controlPlaneMachines: 0, workerMachines: 0, namespace: ns }).map((o) => {
      const uid = (u: string) => `${ns}-${u}`;
      const metadata = {
        ...o.metadata,
        uid: uid(o.metadata.uid),
        ...(o.metadata.ownerReferences
          ? { ownerReferences: o.metadata.ownerReferences.map((r) => ({ ...r, uid: uid(r.uid) })) }
          : {}),
      };
      const i = Number(/cluster-(\d+)/.exec(o.metadata.name)![1]);
      const k = i + 3 * n + 5 * m;
      if (o.kind === 'Cluster') {
        const phase = rawPhases[k % rawPhases.length];
        const day = String(1 + (k % 9)).padStart(2, '0');
        return {
          ...o,
          metadata: { ...metadata, creationTimestamp: `2026-02-${day}T0${k % 10}:00:00Z` },
          status: phase === null ? {} : { ...(o['status'] as object), phase },
        };
      }
      if (o.kind === 'KubeadmControlPlane') {
        const version = versions[k % versions.length];
        const spec = { ...(o['spec'] as Record<string, unknown>) };
        if (version === null) delete spec['version'];
        else spec['version'] = version;
        return { ...o, metadata, spec };
      }
      return { ...o, metadata };
    }),
  );
}

interface Row {
  name: string;
  namespace: string;
  managementCluster: { name: string };
  phase: string | null;
  kubernetesVersion: string | null;
  createdAt: string | null;
  infrastructureCluster: { kind: string } | null;
}

const phaseOrder = ['Pending', 'Provisioning', 'Provisioned', 'Deleting', 'Failed', 'Unknown'];

/** vX.Y.Z[-pre] as numbers, the release after its pre-releases. */
function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [main, pre] = v.replace(/^v/, '').split('-');
    return { nums: main!.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! - y.nums[i]!;
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

const valueOf: Record<ClusterOrderField, (r: Row) => string | null> = {
  NAME: (r) => r.name,
  NAMESPACE: (r) => r.namespace,
  MANAGEMENT_CLUSTER: (r) => r.managementCluster.name,
  PHASE: (r) => r.phase,
  KUBERNETES_VERSION: (r) => r.kubernetesVersion,
  INFRASTRUCTURE_KIND: (r) => r.infrastructureCluster?.kind ?? null,
  CREATED: (r) => r.createdAt,
};

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order the issue asks for, written independently of the gateway's. */
function expectedOrder(rows: Row[], order: ClusterOrder): Row[] {
  const value = valueOf[order.field];
  const compareValues =
    order.field === 'PHASE'
      ? (a: string, b: string) => phaseOrder.indexOf(a) - phaseOrder.indexOf(b)
      : order.field === 'KUBERNETES_VERSION'
        ? compareVersions
        : compareText;
  const sign = order.direction === 'DESC' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    let primary = 0;
    if (x === null || y === null) primary = x === y ? 0 : x === null ? 1 : -1;
    else primary = compareValues(x, y);
    if (primary !== 0) return sign * primary;
    return (
      compareText(a.managementCluster.name, b.managementCluster.name) ||
      compareText(a.namespace, b.namespace) ||
      compareText(a.name, b.name)
    );
  });
}

const id = (r: Row) => `${r.managementCluster.name}/${r.namespace}/${r.name}`;

describe('clusters ordered by the server', () => {
  let g: InProcessGateway;
  beforeAll(async () => {
    g = await inProcessGateway(Object.fromEntries(managementClusters.map((mc, m) => [mc, fleetOf(mc, m)])));
  });
  afterAll(() => g?.stop());

  const page = async (variables: OrderedClustersQueryVariables) => {
    const res = await g.query(OrderedClustersDocument, variables);
    expect(res.errors).toBeUndefined();
    const c = res.data!.clusters;
    return { ...c, rows: c.edges.map((e) => e.node as Row) };
  };

  const all = async (filter?: ClusterFilter) => (await page({ filter, first: 1000 })).rows;

  /** Every page of `size` forwards from the first, as one list. */
  async function walkForwards(variables: OrderedClustersQueryVariables, size: number): Promise<Row[]> {
    const rows: Row[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const p = await page({ ...variables, first: size, after });
      rows.push(...p.rows);
      if (!p.pageInfo.hasNextPage) return rows;
      after = p.pageInfo.endCursor!;
    }
    throw new Error('more than 100 pages');
  }

  async function walkBackwards(variables: OrderedClustersQueryVariables, size: number): Promise<Row[]> {
    const pages: Row[][] = [];
    let before: string | undefined;
    for (let n = 0; n < 100; n++) {
      const p = await page({ ...variables, last: size, before });
      pages.unshift(p.rows);
      if (!p.pageInfo.hasPreviousPage) return pages.flat();
      before = p.pageInfo.startCursor!;
    }
    throw new Error('more than 100 pages');
  }

  const fields: ClusterOrderField[] = [
    'NAME',
    'NAMESPACE',
    'MANAGEMENT_CLUSTER',
    'PHASE',
    'KUBERNETES_VERSION',
    'INFRASTRUCTURE_KIND',
    'CREATED',
  ];

  it('the fleet has what the orders must cope with: equal names, missing phases and versions', async () => {
    const rows = await all();
    expect(rows).toHaveLength(42);
    expect(new Set(rows.map((r) => r.name)).size).toBe(7);
    expect(rows.some((r) => r.phase === null)).toBe(true);
    expect(rows.some((r) => r.phase === 'Unknown')).toBe(true);
    expect(rows.some((r) => r.kubernetesVersion === null)).toBe(true);
    expect(new Set(rows.map((r) => r.kubernetesVersion))).toContain('v1.9.3');
  });

  it('without orderBy, keeps the default order: management cluster, namespace, name', async () => {
    const rows = await all();
    expect(rows.map(id)).toEqual(
      expectedOrder(rows, { field: 'MANAGEMENT_CLUSTER', direction: 'ASC' }).map(id),
    );
  });

  for (const field of fields)
    for (const direction of ['ASC', 'DESC'] as const)
      it(`orders by ${field} ${direction}: one page, pages forwards and backwards all equal the sorted list`, async () => {
        const orderBy = { field, direction };
        const sorted = expectedOrder(await all(), orderBy).map(id);
        const one = await page({ orderBy, first: 1000 });
        expect(one.totalCount).toBe(42);
        expect(one.rows.map(id)).toEqual(sorted);
        expect((await walkForwards({ orderBy }, 5)).map(id)).toEqual(sorted);
        expect((await walkBackwards({ orderBy }, 4)).map(id)).toEqual(sorted);
        // A page from the middle is the slice of the sorted list after its cursor.
        const cursor = one.edges[16]!.cursor;
        expect((await page({ orderBy, first: 6, after: cursor })).rows.map(id)).toEqual(sorted.slice(17, 23));
        expect((await page({ orderBy, last: 3, before: cursor })).rows.map(id)).toEqual(sorted.slice(13, 16));
      });

  it('sorts versions as versions (v1.9 before v1.10, a release candidate before its release), none last', async () => {
    const rows = (await page({ orderBy: { field: 'KUBERNETES_VERSION', direction: 'ASC' }, first: 1000 }))
      .rows;
    const distinct = [...new Set(rows.map((r) => r.kubernetesVersion))];
    expect(distinct).toEqual(['v1.9.3', 'v1.10.0', 'v1.29.14', 'v1.33.0-rc.1', 'v1.33.0', null]);
  });

  it('sorts phases in lifecycle order, a cluster without one last (first when DESC)', async () => {
    const asc = (await page({ orderBy: { field: 'PHASE', direction: 'ASC' }, first: 1000 })).rows;
    expect([...new Set(asc.map((r) => r.phase))]).toEqual([...phaseOrder, null]);
    const desc = (await page({ orderBy: { field: 'PHASE', direction: 'DESC' }, first: 1000 })).rows;
    expect([...new Set(desc.map((r) => r.phase))]).toEqual([null, ...[...phaseOrder].reverse()]);
  });

  it('defaults the direction to ASC', async () => {
    const res = await g.query(
      `{ clusters(orderBy: { field: CREATED }, first: 1000) { edges { node { name namespace managementCluster { name } createdAt } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const rows = (res.data as { clusters: { edges: Array<{ node: Row }> } }).clusters.edges.map(
      (e) => e.node,
    );
    expect(rows.map(id)).toEqual(expectedOrder(rows, { field: 'CREATED', direction: 'ASC' }).map(id));
  });

  const filters: ClusterFilter[] = [
    { managementCluster: 'mc-a' },
    { namespace: 'east', labelSelector: 'env=prod' },
    { phase: 'Provisioned' },
    { kubernetesVersion: 'v1.33.0' },
    { nameContains: '0003' },
  ];
  for (const filter of filters)
    it(`orders the clusters of a filter (${JSON.stringify(filter)}), pages equal to slicing`, async () => {
      const matching = await all(filter);
      expect(matching.length).toBeGreaterThan(0);
      for (const orderBy of [
        { field: 'KUBERNETES_VERSION', direction: 'DESC' },
        { field: 'CREATED', direction: 'ASC' },
      ] as const) {
        const sorted = expectedOrder(matching, orderBy).map(id);
        const p = await page({ filter, orderBy, first: 1000 });
        expect(p.totalCount).toBe(matching.length);
        expect(p.rows.map(id)).toEqual(sorted);
        expect((await walkForwards({ filter, orderBy }, 2)).map(id)).toEqual(sorted);
      }
    });

  it('keeps a cursor valid while clusters change: the next page continues after the cursor row', async () => {
    const orderBy = { field: 'NAME', direction: 'DESC' } as const;
    const first = await page({ orderBy, first: 10 });
    const cursor = first.pageInfo.endCursor!;
    const last = first.rows.at(-1)!;
    // The cluster of the cursor is deleted: the next page still starts right after its place.
    const transport = g.transports.get(last.managementCluster.name)!;
    const gone = fleetOf(
      last.managementCluster.name,
      managementClusters.indexOf(last.managementCluster.name),
    ).find(
      (o) => o.kind === 'Cluster' && o.metadata.namespace === last.namespace && o.metadata.name === last.name,
    )!;
    transport.delete(gone);
    try {
      await expect.poll(async () => (await all()).length, { timeout: 10_000 }).toBe(41);
      const sorted = expectedOrder(await all(), orderBy).map(id);
      const next = await page({ orderBy, first: 5, after: cursor });
      expect(next.rows.map(id)).toEqual(sorted.slice(9, 14));
    } finally {
      transport.put(gone);
      await expect.poll(async () => (await all()).length, { timeout: 10_000 }).toBe(42);
    }
  });

  it('refuses a cursor of another order with CURSOR_ORDER_MISMATCH, and one it never made as before', async () => {
    const byName = (await page({ orderBy: { field: 'NAME', direction: 'ASC' }, first: 2 })).pageInfo
      .endCursor!;
    const byDefault = (await page({ first: 2 })).pageInfo.endCursor!;
    const cases: Array<{ variables: OrderedClustersQueryVariables; cursorOrder: string; order: string }> = [
      {
        variables: { orderBy: { field: 'NAME', direction: 'DESC' }, after: byName },
        cursorOrder: 'NAME ASC',
        order: 'NAME DESC',
      },
      {
        variables: { orderBy: { field: 'PHASE', direction: 'ASC' }, before: byName },
        cursorOrder: 'NAME ASC',
        order: 'PHASE ASC',
      },
      { variables: { after: byName }, cursorOrder: 'NAME ASC', order: 'the default order' },
      {
        variables: { orderBy: { field: 'NAME', direction: 'ASC' }, after: byDefault },
        cursorOrder: 'the default order',
        order: 'NAME ASC',
      },
    ];
    for (const { variables, cursorOrder, order } of cases) {
      const res = await g.query(OrderedClustersDocument, { first: 2, ...variables });
      expect(res.data).toBeNull();
      const field = variables.after ? 'after' : 'before';
      expect(res.errors).toEqual([
        expect.objectContaining({
          path: ['clusters'],
          extensions: expect.objectContaining({ code: 'CURSOR_ORDER_MISMATCH', field, cursorOrder, order }),
        }),
      ]);
    }
    const bad = await g.query(OrderedClustersDocument, {
      orderBy: { field: 'NAME', direction: 'ASC' },
      after: Buffer.from('o:[1,2]').toString('base64url'),
    });
    expect(bad.errors).toEqual([
      expect.objectContaining({
        message: 'after: not a cursor from this connection',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
  });
});
