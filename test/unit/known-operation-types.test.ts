import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { knownOperationTypesRule } from '../../src/known-operation-types.ts';

describe('an operation whose root type the schema lacks', () => {
  const queryOnly = buildSchema('type Query { ok: Boolean }');
  const errorsOf = (source: string) =>
    validate(queryOnly, parse(source), [...specifiedRules, knownOperationTypesRule]).map((e) => e.message);

  it.each([
    ['mutation { createCluster }', 'Mutation'],
    ['subscription { clusterUpdated }', 'Subscription'],
  ])('%s is a validation error naming the missing %s type', (source, type) => {
    expect(errorsOf(source)).toContain(
      `The schema has no ${type} type: ${type.toLowerCase()} operations are not supported.`,
    );
  });

  it('a query passes', () => {
    expect(errorsOf('{ ok }')).toEqual([]);
  });
});
