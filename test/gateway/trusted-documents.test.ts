import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  print,
  typeFromAST,
  type DocumentNode,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  DescribeClusterDocument,
  ListClustersDocument,
  ListMachinesDocument,
  ListManagementClustersDocument,
} from '../../client/index.ts';
import { bundledDocuments, clientDocuments } from '../../src/cli/bundled-documents.ts';
import { limitKeyOf } from '../../src/limits/identity-key.ts';
import { TrustedDocuments } from '../../src/limits/trusted-documents.ts';
import { limitedGateway, type LimitedGateway } from './support/limited-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';
import * as dashboard from '../../web/generated/graphql.ts';

const dashboardFolder = () => bundledDocuments.find((d) => d.endsWith('web/documents'))!;

const documentsIn = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.graphql'))
    .map((n) => ({ name: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));

/** A value of `type` the schema accepts: enough for an operation to run (and fail in a resolver). */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named))
    return Object.fromEntries(
      Object.values(named.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sampleValue(f.type)]),
    );
  return { Int: 1, Float: 1, Boolean: false }[named.name] ?? 'x';
}

/** Every variable an operation requires, with a sample value. */
function sampleVariables(schema: GraphQLSchema, operation: OperationDefinitionNode): Record<string, unknown> {
  return Object.fromEntries(
    (operation.variableDefinitions ?? [])
      .filter((v) => v.type.kind === Kind.NON_NULL_TYPE)
      .map((v) => [
        v.variable.name.value,
        sampleValue(typeFromAST(schema, v.type as never) as GraphQLInputType),
      ]),
  );
}

describe('trusted documents: only the CLI’s and the dashboard’s documents run', () => {
  let gw: LimitedGateway;
  beforeAll(async () => {
    gw = await limitedGateway(syntheticFleet({ clusters: 2, controlPlaneMachines: 1, workerMachines: 1 }), {
      // What `serve --trusted-documents` alone allows.
      limits: { trustedDocuments: [...bundledDocuments] },
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

  it('every dashboard document runs, as the dashboard sends it (printed from web/generated)', async () => {
    const documents = Object.entries(dashboard)
      .filter(([name]) => name.endsWith('Document'))
      .map(([name, document]) => [name, document as DocumentNode] as const);
    const operations = documents.map(([name, document]) => {
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      )!;
      return { name, operation, query: print(document) };
    });
    // Every operation in web/documents is in web/generated: none is left untried.
    const inFolder = readdirSync(dashboardFolder())
      .filter((n) => n.endsWith('.graphql'))
      .flatMap((n) => [
        ...readFileSync(join(dashboardFolder(), n), 'utf8').matchAll(
          /^(?:query|mutation|subscription) (\w+)/gm,
        ),
      ])
      .map((m) => m[1]);
    expect(operations.map((o) => o.operation.name!.value).sort()).toEqual(inFolder.sort());
    expect(operations.length).toBeGreaterThan(20);

    for (const { name, operation, query } of operations) {
      const variables = sampleVariables(gw.gateway.schema, operation);
      if (operation.operation === 'subscription') {
        const first = await firstEvent(query, variables);
        expect(first, name).toContain('data:');
        expect(first, name).not.toContain('trustedDocuments');
        continue;
      }
      const { status, body } = await gw.post(query, variables);
      expect(status, `${name}: ${JSON.stringify(body)}`).toBe(200);
      // It ran: an answer with data, whatever the resolvers made of the sample input.
      expect(body.data, `${name}: ${JSON.stringify(body)}`).toBeTruthy();
      expect(JSON.stringify(body), name).not.toContain('LIMIT_EXCEEDED');
    }
  });

  /** The first event of a subscription over SSE (as yoga serves it), then the stream is closed. */
  async function firstEvent(query: string, variables: Record<string, unknown>): Promise<string> {
    const controller = new AbortController();
    const res = await gw.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let first = '';
    try {
      while (!first.includes('data:')) {
        const { value, done } = await reader.read();
        if (done) break;
        first += new TextDecoder().decode(value);
      }
    } finally {
      await reader.cancel().catch(() => {});
      controller.abort();
    }
    return first;
  }

  it('any other operation is refused before it runs, naming the limit', async () => {
    const before = gw.resolverCalls();
    const { status, body } = await gw.post('{ clusters { totalCount } }');
    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'trustedDocuments' });
    expect(gw.resolverCalls()).toBe(before);
    // A subscription too, over SSE.
    const refused = await firstEvent('subscription { fleetSummaryUpdated { clusters } }', {});
    expect(refused).toContain('"limit":"trustedDocuments"');
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

describe('trusted document sets', () => {
  it('each folder’s fragments are its own: two clients may name a fragment alike', () => {
    const a = 'query A { managementClusters { ...F } } fragment F on ManagementCluster { name }';
    const b = 'query B { managementClusters { ...F } } fragment F on ManagementCluster { server }';
    const trusted = new TrustedDocuments([a]).add([b]);
    expect(trusted.allows(parse(a))).toBe(true);
    expect(trusted.allows(parse(b))).toBe(true);
    expect(trusted.allows(parse(a.replace('{ name }', '{ server }')))).toBe(false);
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
