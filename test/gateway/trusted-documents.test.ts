import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  DescribeClusterDocument,
  ListClustersDocument,
  ListMachinesDocument,
  ListManagementClustersDocument,
} from '../../client/index.ts';
import { clientDocuments } from '../../src/cli/serve-limits.ts';
import { limitKeyOf } from '../../src/limits/identity-key.ts';
import { TrustedDocuments } from '../../src/limits/trusted-documents.ts';
import { limitedGateway, type LimitedGateway } from './support/limited-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

const documentsIn = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.graphql'))
    .map((n) => ({ name: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));

describe('trusted documents: only the CLI’s own documents run', () => {
  let gw: LimitedGateway;
  beforeAll(async () => {
    gw = await limitedGateway(syntheticFleet({ clusters: 2, controlPlaneMachines: 1, workerMachines: 1 }), {
      limits: { trustedDocuments: [clientDocuments] },
    });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  const client = () =>
    createClient({
      url: 'http://gateway.test/graphql',
      fetch: ((url: string, init: RequestInit) => gw.gateway.yoga.fetch(url, init)) as typeof fetch,
    });

  it('the CLI’s documents run, as the CLI sends them', async () => {
    const c = client();
    expect(await c.request(ListManagementClustersDocument)).toMatchObject({ ok: true });
    expect(await c.request(ListClustersDocument, { first: 200 })).toMatchObject({ ok: true });
    expect(await c.request(ListMachinesDocument, { first: 100 })).toMatchObject({ ok: true });
    const described = await c.request(DescribeClusterDocument, {
      managementCluster: 'fake',
      namespace: 'fleet',
      name: 'cluster-0000',
    });
    expect(described).toMatchObject({ ok: true, data: { cluster: { __typename: 'Cluster' } } });
  });

  it('any other operation is refused before it runs, naming the limit', async () => {
    const before = gw.resolverCalls();
    const { status, body } = await gw.post('{ clusters { totalCount } }');
    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'trustedDocuments' });
    expect(gw.resolverCalls()).toBe(before);
  });

  it('formatting and unused definitions do not matter; a changed selection does', () => {
    const trusted = new TrustedDocuments([
      'query A { clusters { totalCount } }',
      'query B { managementClusters { ...F } } fragment F on ManagementCluster { name }',
    ]);
    const { parse } = gw.gateway.yoga.getEnveloped({} as never);
    expect(trusted.allows(parse('query A {\n  clusters {\n    totalCount\n  }\n}'))).toBe(true);
    expect(
      trusted.allows(
        parse('fragment F on ManagementCluster { name } query B { managementClusters { ...F } }'),
      ),
    ).toBe(true);
    expect(trusted.allows(parse('query A { clusters { totalCount } } query X { __typename }'), 'A')).toBe(
      true,
    );
    expect(trusted.allows(parse('query A { clusters { totalCount edges { cursor } } }'))).toBe(false);
    expect(
      trusted.allows(
        parse('query B { managementClusters { ...F } } fragment F on ManagementCluster { server }'),
      ),
    ).toBe(false);
  });
});

describe('the repo’s own documents fit the default limits', () => {
  it('every client, gateway-test and contract document passes tokens, depth, aliases and directives', async () => {
    const gw = await limitedGateway([]);
    try {
      const { parse, validate, schema } = gw.gateway.yoga.getEnveloped({} as never);
      const docs = [
        ...documentsIn(clientDocuments),
        ...documentsIn('test/gateway/documents'),
        ...documentsIn('test/contract/documents'),
      ];
      const fragments = documentsIn(clientDocuments).find((d) => d.name.endsWith('fragments.graphql'))!.text;
      expect(docs.length).toBeGreaterThan(5);
      for (const doc of docs) {
        const text =
          doc.name.startsWith(clientDocuments) && !doc.name.endsWith('fragments.graphql')
            ? `${doc.text}\n${fragments}`
            : doc.text;
        const errors = (validate(schema, parse(text)) as readonly GraphQLError[]).filter(
          (e) => e.extensions['code'] === 'LIMIT_EXCEEDED',
        );
        expect(
          errors.map((e) => e.message),
          doc.name,
        ).toEqual([]);
      }
    } finally {
      await gw.stop();
    }
  });
});

describe('whom the per-identity caps count against', () => {
  it('the authenticated user when there is one, else the caller’s address', () => {
    expect(
      limitKeyOf({ identity: { user: 'alice' }, req: { socket: { remoteAddress: '10.0.0.1' } } as never }),
    ).toBe('user:alice');
    expect(limitKeyOf({ req: { socket: { remoteAddress: '10.0.0.1' } } as never })).toBe('address:10.0.0.1');
    expect(limitKeyOf({})).toBe('address:local');
  });
});
