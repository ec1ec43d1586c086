import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitedGateway, type LimitedGateway } from './support/limited-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

/** `machines { cluster { machines { cluster … } } }`, `levels` fields deep below the machines. */
function nested(levels: number, leaf = 'name'): string {
  let body = leaf;
  for (let i = 0; i < levels; i++) body = i % 2 === 0 ? `cluster { ${body} }` : `machines { ${body} }`;
  return body;
}

/** The issue's query: clusters(first: 100) with machines { cluster { … } } twelve levels deep. */
const hostile = `{ clusters(first: 100) { edges { node { machines { ${nested(12)} } } } } }`;

describe('hostile queries are refused before execution with a typed error naming the limit', () => {
  let gw: LimitedGateway;

  beforeAll(async () => {
    gw = await limitedGateway(syntheticFleet({ clusters: 2, controlPlaneMachines: 3, workerMachines: 2 }));
  });
  afterAll(async () => {
    await gw?.stop();
  });

  async function refused(query: string, variables?: Record<string, unknown>) {
    const before = gw.resolverCalls();
    const { body } = await gw.post(query, variables);
    expect(gw.resolverCalls(), 'a resolver ran').toBe(before);
    expect(body.data ?? null).toBeNull();
    return body.errors?.[0]?.extensions ?? {};
  }

  it("the issue's query: clusters(first: 100) with machines { cluster { … } } nested twelve levels", async () => {
    expect(await refused(hostile)).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'depth', max: 10 });
  });

  it('its fragment variant: the same nesting through a chain of fragments', async () => {
    const fragments = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0
        ? `fragment F${i} on Machine { cluster { ...F${i + 1} } }`
        : `fragment F${i} on Cluster { machines { ${i === 11 ? 'name' : `...F${i + 1}`} } }`,
    ).join('\n');
    const query = `{ clusters(first: 100) { edges { node { machines { ...F0 } } } } }\n${fragments}`;
    expect(await refused(query)).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'depth' });
  });

  it('its alias variant: many copies side by side, each within the depth limit', async () => {
    const copies = Array.from(
      { length: 20 },
      (_, i) => `a${i}: clusters(first: 100) { edges { node { machines { ${nested(4)} } } } }`,
    );
    expect(await refused(`{ ${copies.join(' ')} }`)).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: 'aliases',
      max: 15,
      found: 20,
    });
  });

  it('its list-size variant: a huge first, literal or through a variable', async () => {
    const query = `{ clusters(first: 1000000) { edges { node { machines { ${nested(3)} } } } } }`;
    expect(await refused(query)).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost', max: 500_000 });
    const withVariable = `query($n: Int) { clusters(first: $n) { edges { node { machines { ${nested(3)} } } } } }`;
    const cost = await refused(withVariable, { n: 1_000_000 });
    expect(cost).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost' });
    expect(cost['found']).toBeGreaterThan(500_000);
    // The same document with a small page runs.
    const ok = await gw.post(withVariable, { n: 1 });
    expect(ok.body.errors).toBeUndefined();
  });

  it('its nodes variant: a huge list of IDs in the variables', async () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => `id-${i}`);
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Cluster { machines { name } } } }';
    expect(await refused(query, { ids })).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost' });
  });

  it('a fragment bomb (each fragment spreading the next twice) is refused by cost', async () => {
    const fragments = Array.from({ length: 9 }, (_, i) =>
      i === 8
        ? `fragment B${i} on Cluster { name }`
        : `fragment B${i} on Cluster { ...B${i + 1} machines { cluster { ...B${i + 1} } } }`,
    ).join('\n');
    const query = `{ clusters(first: 100) { edges { node { ...B0 } } } }\n${fragments}`;
    const ext = await refused(query);
    expect(ext).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(['depth', 'cost']).toContain(ext['limit']);
  });

  it('an ordinary query runs', async () => {
    const { status, body } = await gw.post(
      '{ clusters(first: 10) { totalCount edges { node { name machines { name } } } } }',
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });
});
