/**
 * Random GraphQL requests over a schema, for fast-check: operations selecting random fields
 * (sometimes misspelt, aliased, repeated, under @include/@skip, in fragments) with random
 * arguments, literal or through variables — hostile values included (huge or negative page
 * sizes, long strings, wrong types, IDs that decode to nothing, deep nesting).
 */
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

export interface FuzzRequest {
  query: string;
  variables: Record<string, unknown>;
}

const realId = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const ids = [
  realId(['fake', 'cluster.x-k8s.io', 'Cluster', 'fleet', 'cluster-0000']),
  realId(['fake', 'cluster.x-k8s.io', 'Machine', 'fleet', 'cluster-0000-cp-0']),
  realId(['nope', 'x', 'Y', 'z', 'w']),
  'not-an-id',
  '',
];

/** A JavaScript value for an input type (sometimes of the wrong type, or null). */
function inputValue(g: fc.GeneratorValue, type: GraphQLInputType, depth = 0): unknown {
  if (g(fc.integer, { min: 0, max: 30 }) === 0) return g(fc.constantFrom, null, 'x', 1, true, [], {});
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) {
    const n = g(fc.integer, { min: 0, max: depth > 1 ? 1 : 3 });
    return Array.from({ length: n }, () => inputValue(g, inner.ofType as GraphQLInputType, depth + 1));
  }
  if (isEnumType(inner)) return g(fc.constantFrom, ...inner.getValues().map((v) => v.name), 'NOPE');
  if (isInputObjectType(inner)) {
    if (depth > 2) return {};
    const out: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields()))
      if (isNonNullType(field.type) || g(fc.boolean)) out[field.name] = inputValue(g, field.type, depth + 1);
    return out;
  }
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'Int':
        return pick(g, fc.integer({ min: -5, max: 50 }), fc.constantFrom(0, -1, 2_147_483_647, 1_000_000));
      case 'Float':
        return g(fc.double, { noNaN: true, noDefaultInfinity: true });
      case 'Boolean':
        return g(fc.boolean);
      case 'ID':
        return pick(g, fc.constantFrom(...ids), fc.string({ maxLength: 40 }));
      case 'JSON':
        return pick(g, fc.string({ maxLength: 20 }), fc.integer(), fc.boolean());
      default:
        return pick(
          g,
          fc.string({ maxLength: 60 }),
          fc.constantFrom('2026-01-01T00:00:00Z', 'v1.33.0', 'fake', 'fleet', 'cluster-0000'),
        );
    }
  }
  return null;
}

/** One of several arbitraries' values (fc.oneof through the imperative generator). */
function pick(g: fc.GeneratorValue, ...arbs: Array<fc.Arbitrary<unknown>>): unknown {
  return g(() => fc.oneof(...arbs));
}

const isName = (s: string) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(s);

/** The value as a GraphQL literal (enum names bare; objects with name keys). */
function literal(value: unknown, type: GraphQLInputType): string {
  const inner = getNullableType(type) as GraphQLInputType;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, isListType(inner) ? (inner.ofType as GraphQLInputType) : inner)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(inner) ? inner.getFields() : {};
    const entries = Object.entries(value).filter(([k]) => isName(k));
    return `{${entries.map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? inner)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return isEnumType(inner) && isName(value) ? value : JSON.stringify(value);
  return String(value);
}

interface Builder {
  g: fc.GeneratorValue;
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  definitions: string[];
  fragments: string[];
  counter: number;
}

function args(b: Builder, list: readonly GraphQLArgument[]): string {
  const parts: string[] = [];
  for (const arg of list) {
    if (!isNonNullType(arg.type) && !b.g(fc.boolean)) continue;
    const value = inputValue(b.g, arg.type);
    if (b.g(fc.integer, { min: 0, max: 3 }) === 0) {
      const name = `v${b.counter++}`;
      b.definitions.push(`$${name}: ${String(arg.type)}`);
      b.variables[name] = value;
      parts.push(`${arg.name}: $${name}`);
    } else parts.push(`${arg.name}: ${literal(value, arg.type)}`);
  }
  if (b.g(fc.integer, { min: 0, max: 40 }) === 0) parts.push('bogus: 1');
  return parts.length === 0 ? '' : `(${parts.join(', ')})`;
}

/** Some of `n` positions (schema objects are cyclic: fast-check compares only plain values). */
function indices(b: Builder, n: number, most: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return b.g(fc.subarray, all, { minLength: Math.min(1, n), maxLength: Math.min(most, n) });
}

function selection(b: Builder, type: GraphQLCompositeType, depth: number): string {
  if (isUnionType(type) || (isInterfaceType(type) && b.g(fc.boolean))) {
    const possible = b.schema.getPossibleTypes(type);
    const picked = indices(b, possible.length, 3).map((i) => possible[i]!);
    return `__typename ${picked.map((t) => `... on ${t.name} { ${selection(b, t, depth - 1)} }`).join(' ')}`;
  }
  const fields = isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];
  const picked = indices(b, fields.length, 4).map((i) => fields[i]!);
  const parts = picked.map((field) => {
    const named = getNamedType(field.type);
    const alias = b.g(fc.integer, { min: 0, max: 8 }) === 0 ? `a${b.counter++}: ` : '';
    const directive =
      b.g(fc.integer, { min: 0, max: 12 }) === 0
        ? ` @${b.g(fc.constantFrom, 'include', 'skip')}(if: ${b.g(fc.boolean)})`
        : '';
    const head = `${alias}${field.name}${args(b, field.args)}${directive}`;
    if (!isCompositeType(named)) return head;
    if (depth <= 0) return `${head} { __typename }`;
    const inner = selection(b, named, depth - 1);
    if (b.g(fc.integer, { min: 0, max: 10 }) === 0) {
      const name = `F${b.counter++}`;
      b.fragments.push(`fragment ${name} on ${named.name} { ${inner} }`);
      return `${head} { ...${name} }`;
    }
    return `${head} { ${inner} }`;
  });
  if (b.g(fc.integer, { min: 0, max: 25 }) === 0)
    parts.push(b.g(fc.constantFrom, 'nope', 'clusterz', '__schema { types { name } }'));
  return parts.join(' ');
}

export function fuzzRequests(schema: GraphQLSchema): fc.Arbitrary<FuzzRequest> {
  return fc.gen().map((g) => {
    const b: Builder = { g, schema, variables: {}, definitions: [], fragments: [], counter: 0 };
    const kind = g(fc.integer, { min: 0, max: 19 });
    if (kind === 0) return { query: g(fc.string, { maxLength: 200 }), variables: {} }; // not GraphQL
    const root = kind === 1 && schema.getMutationType() ? schema.getMutationType()! : schema.getQueryType()!;
    const depth = g(fc.integer, { min: 1, max: kind === 2 ? 14 : 6 });
    const body = selection(b, root, depth);
    const operation = root === schema.getMutationType() ? 'mutation' : 'query';
    const vars = b.definitions.length > 0 ? `(${b.definitions.join(', ')})` : '';
    const query = `${operation} Fuzz${vars} { ${body} }\n${b.fragments.join('\n')}`;
    return { query, variables: b.variables };
  });
}
