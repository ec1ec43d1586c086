/**
 * A request's cost, before it runs: the objects it would resolve. Every object field counts 1
 * plus what is selected below it, once per item a list can hold — a connection by its
 * `first`/`last` (or, without them, by all there is), a plain list by the largest such list in
 * the caches, `nodes(ids)` by its IDs. Scalar fields are property reads of an object already
 * counted: they cost nothing (their number is bounded by the tokens limit, their size by the
 * response size limit).
 * graphql-query-complexity walks the document (fragments, inline fragments, @skip/@include,
 * every possible type of an abstract one); this file says only how long each list is.
 */
import {
  getComplexity,
  type ComplexityEstimator,
  type ComplexityEstimatorArgs,
} from 'graphql-query-complexity';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { ListSizes } from './list-sizes.ts';

/** Lists whose items are small leaf objects (conditions, addresses, counts) and unknown ones. */
export const smallListSize = 10;

type SizeOf = (sizes: ListSizes, args: Record<string, unknown>) => number;

const machines: SizeOf = (s) => s.machinesPerCluster;
const clusters: SizeOf = (s) => s.clusters;

/** Plain lists (by `Type.field`) whose length the caches know. */
const plainLists: Record<string, SizeOf> = {
  'Query.clusterClasses': (s) => s.clusterClasses,
  'Query.managementClusters': (s) => s.managementClusters,
  'Query.nodes': (_s, args) => (Array.isArray(args['ids']) ? args['ids'].length : 1),
  'Cluster.machineDeployments': (s) => s.machineDeploymentsPerCluster,
  'Cluster.machinePools': (s) => s.machinePoolsPerCluster,
  'Cluster.machineHealthChecks': (s) => s.machineHealthChecksPerCluster,
  'MachineDeployment.machineSets': (s) => s.machineSetsPerDeployment,
  'Operation.children': clusters,
  'UpgradeWave.clusters': clusters,
  'UpgradeClustersPayload.waves': clusters,
};

/** Connections (by `Type.field`): how many edges they hold without `first`/`last`. */
const connections: Record<string, SizeOf> = {
  'Query.clusters': clusters,
  'Query.operations': (s) => s.operations,
};

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : undefined;

function listSize(sizes: ListSizes, { type, field, args }: ComplexityEstimatorArgs): number {
  const key = `${type.name}.${field.name}`;
  const connection = connections[key];
  if (connection) return count(args['first']) ?? count(args['last']) ?? connection(sizes, args);
  if (!isListType(getNullableType(field.type))) return 1;
  // A connection's edges are counted where the connection is.
  if (type.name.endsWith('Connection') && field.name === 'edges') return 1;
  const known = plainLists[key];
  if (known) return known(sizes, args);
  if (getNamedType(field.type).name === 'Machine') return machines(sizes, args);
  return smallListSize;
}

/** The estimator for one request (sizes read once, before it). */
export function costEstimator(sizes: ListSizes): ComplexityEstimator {
  return (args) =>
    isCompositeType(getNamedType(args.field.type)) ? listSize(sizes, args) * (1 + args.childComplexity) : 0;
}

/** Documents that expand to more selections than this are refused outright (fragment bombs). */
export const maxEvaluatedSelections = 20_000;

export type CostResult = { ok: true; cost: number } | { ok: false; error: Error; tooLarge: boolean };

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  estimator: ComplexityEstimator,
): CostResult {
  try {
    const cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [estimator],
      maxQueryNodes: maxEvaluatedSelections,
    });
    return { ok: true, cost };
  } catch (error) {
    const tooLarge = /maximum allowed number of nodes/.test((error as Error).message);
    return { ok: false, error: error as Error, tooLarge };
  }
}
