/**
 * An operation whose root type the schema lacks is a validation error, not an unexpected error
 * with a stack trace (graphql-js 16 lets it through to graphql-jit otherwise). The gateway's
 * schema now has Query, Mutation and Subscription, so the rule is checked on a schema that lacks
 * the last two, wired the way src/app.ts wires it.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { buildSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useKnownOperationTypes } from '../../src/known-operation-types.ts';

const yoga = createYoga({
  schema: buildSchema('type Query { ok: Boolean }'),
  maskedErrors: true,
  logging: false,
  plugins: [useKnownOperationTypes(), useGraphQlJit()],
});

const post = (query: string, accept = 'application/graphql-response+json') =>
  yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query }),
  });

type Body = { errors: Array<{ message: string; extensions?: { code?: string } }> };

describe('an operation whose root type the schema lacks', () => {
  it.each([
    ['mutation', 'mutation { createCluster { id } }', 'Mutation'],
    ['subscription', 'subscription { clusterChanged { id } }', 'Subscription'],
  ])('a %s answers a validation error naming the missing type', async (_, query, type) => {
    const res = await post(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Body;
    expect(body.errors[0]!.message).toContain(`no ${type} type`);
    expect(body.errors[0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // A plain application/json client gets the same error (yoga keeps 200 there).
    const legacy = (await (await post(query, 'application/json')).json()) as Body;
    expect(legacy.errors[0]!.message).toContain(`no ${type} type`);
  });

  it('lets operations of an existing root type through', async () => {
    const res = await post('{ ok }');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { ok: null } });
  });
});
