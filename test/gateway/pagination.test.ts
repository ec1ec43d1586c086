import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterPageDocument } from '../generated/graphql.ts';
import { eventually } from './support/gql.ts';
import { inProcessGateway, type InProcessGateway } from './support/in-process-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

const all = ['cluster-0000', 'cluster-0001', 'cluster-0002', 'cluster-0003', 'cluster-0004'];

describe('paging through clusters', () => {
  let g: InProcessGateway;
  beforeAll(async () => {
    g = await inProcessGateway({
      mc: syntheticFleet({ clusters: 5, controlPlaneMachines: 1, workerMachines: 0 }),
    });
  });
  afterAll(() => g.stop());

  const page = async (args: { first?: number; after?: string; last?: number; before?: string }) => {
    const res = await g.query(ClusterPageDocument, args);
    expect(res.errors).toBeUndefined();
    const clusters = res.data!.clusters;
    return { ...clusters, names: clusters.edges.map((e) => e.node.name) };
  };

  it('walks forwards with first/after and backwards with last/before, seeing every cluster once', async () => {
    const forwards: string[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await page({ first: 2, after });
      expect(p.totalCount).toBe(5);
      forwards.push(...p.names);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor!;
    }
    expect(forwards).toEqual(all);

    const backwards: string[][] = [];
    let before: string | undefined;
    for (;;) {
      const p = await page({ last: 2, before });
      backwards.push(p.names);
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor!;
    }
    expect(backwards).toEqual([
      ['cluster-0003', 'cluster-0004'],
      ['cluster-0001', 'cluster-0002'],
      ['cluster-0000'],
    ]);
  });

  it('answers first: 0 with no edges and says there is more', async () => {
    const p = await page({ first: 0 });
    expect(p.names).toEqual([]);
    expect(p.totalCount).toBe(5);
    expect(p.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
  });

  it('refuses a negative first or last with an input error on the field', async () => {
    for (const args of [{ first: -1 }, { last: -3 }]) {
      const res = await g.query(ClusterPageDocument, args);
      expect(res.data).toBeNull();
      expect(res.errors).toEqual([
        expect.objectContaining({
          message: `${Object.keys(args)[0]}: must not be negative`,
          path: ['clusters'],
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
    }
  });

  it('refuses a cursor this connection did not make', async () => {
    const id = (await page({ first: 1 })).edges[0]!.node.id;
    for (const args of [{ after: 'not-a-cursor' }, { before: '!!!' }, { after: id }]) {
      const res = await g.query(ClusterPageDocument, args);
      expect(res.data).toBeNull();
      expect(res.errors).toEqual([
        expect.objectContaining({
          message: `${Object.keys(args)[0]}: not a cursor from this connection`,
          path: ['clusters'],
        }),
      ]);
    }
  });

  it('keeps a cursor valid after its cluster is deleted: the page continues where it was', async () => {
    const first = await page({ first: 3 });
    const cursor = first.pageInfo.endCursor!;
    expect(first.names.at(-1)).toBe('cluster-0002');
    const transport = g.transports.get('mc')!;
    const gone = syntheticFleet({ clusters: 5, controlPlaneMachines: 1, workerMachines: 0 }).find(
      (o) => o.kind === 'Cluster' && o.metadata.name === 'cluster-0002',
    )!;
    transport.delete(gone);
    await eventually(
      async () => ((await page({})).totalCount === 4 ? true : undefined),
      10_000,
      'the deletion',
    );
    expect((await page({ first: 2, after: cursor })).names).toEqual(['cluster-0003', 'cluster-0004']);
    expect((await page({ last: 2, before: cursor })).names).toEqual(['cluster-0000', 'cluster-0001']);
  });
});
