/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ManagementClusters {\n  managementClusters {\n    id\n    name\n    server\n    reachable\n    synced\n    error\n    lastSyncTime\n    capiVersion\n    providers {\n      name\n      type\n      version\n    }\n    providersUnavailableReason\n    clusterCount\n  }\n}\n\nquery FleetSummary($filter: ClusterFilter) {\n  fleetSummary(filter: $filter) {\n    clusters\n    byPhase {\n      key\n      count\n    }\n    byKubernetesVersion {\n      key\n      count\n    }\n    byInfrastructureKind {\n      key\n      count\n    }\n    byManagementCluster {\n      key\n      count\n    }\n    errors {\n      managementCluster\n      message\n    }\n  }\n}\n\nquery ClusterNames($first: Int, $after: String, $filter: ClusterFilter) {\n  clusters(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    errors {\n      managementCluster\n      message\n    }\n    edges {\n      node {\n        id\n        name\n        namespace\n        managementCluster {\n          name\n        }\n      }\n    }\n  }\n}\n\nquery NodeById($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on CapiObject {\n      name\n      namespace\n      kind\n    }\n  }\n}": typeof types.ManagementClustersDocument,
    "query ClustersByPhase($phase: ClusterPhase, $machinePhase: MachinePhase) {\n  clusters(filter: {phase: $phase}) {\n    totalCount\n    edges {\n      node {\n        name\n        phase\n        machines(filter: {phase: $machinePhase}) {\n          name\n          phase\n        }\n        machineDeployments {\n          name\n          phase\n        }\n      }\n    }\n  }\n}": typeof types.ClustersByPhaseDocument,
};
const documents: Documents = {
    "query ManagementClusters {\n  managementClusters {\n    id\n    name\n    server\n    reachable\n    synced\n    error\n    lastSyncTime\n    capiVersion\n    providers {\n      name\n      type\n      version\n    }\n    providersUnavailableReason\n    clusterCount\n  }\n}\n\nquery FleetSummary($filter: ClusterFilter) {\n  fleetSummary(filter: $filter) {\n    clusters\n    byPhase {\n      key\n      count\n    }\n    byKubernetesVersion {\n      key\n      count\n    }\n    byInfrastructureKind {\n      key\n      count\n    }\n    byManagementCluster {\n      key\n      count\n    }\n    errors {\n      managementCluster\n      message\n    }\n  }\n}\n\nquery ClusterNames($first: Int, $after: String, $filter: ClusterFilter) {\n  clusters(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    errors {\n      managementCluster\n      message\n    }\n    edges {\n      node {\n        id\n        name\n        namespace\n        managementCluster {\n          name\n        }\n      }\n    }\n  }\n}\n\nquery NodeById($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on CapiObject {\n      name\n      namespace\n      kind\n    }\n  }\n}": types.ManagementClustersDocument,
    "query ClustersByPhase($phase: ClusterPhase, $machinePhase: MachinePhase) {\n  clusters(filter: {phase: $phase}) {\n    totalCount\n    edges {\n      node {\n        name\n        phase\n        machines(filter: {phase: $machinePhase}) {\n          name\n          phase\n        }\n        machineDeployments {\n          name\n          phase\n        }\n      }\n    }\n  }\n}": types.ClustersByPhaseDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ManagementClusters {\n  managementClusters {\n    id\n    name\n    server\n    reachable\n    synced\n    error\n    lastSyncTime\n    capiVersion\n    providers {\n      name\n      type\n      version\n    }\n    providersUnavailableReason\n    clusterCount\n  }\n}\n\nquery FleetSummary($filter: ClusterFilter) {\n  fleetSummary(filter: $filter) {\n    clusters\n    byPhase {\n      key\n      count\n    }\n    byKubernetesVersion {\n      key\n      count\n    }\n    byInfrastructureKind {\n      key\n      count\n    }\n    byManagementCluster {\n      key\n      count\n    }\n    errors {\n      managementCluster\n      message\n    }\n  }\n}\n\nquery ClusterNames($first: Int, $after: String, $filter: ClusterFilter) {\n  clusters(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    errors {\n      managementCluster\n      message\n    }\n    edges {\n      node {\n        id\n        name\n        namespace\n        managementCluster {\n          name\n        }\n      }\n    }\n  }\n}\n\nquery NodeById($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on CapiObject {\n      name\n      namespace\n      kind\n    }\n  }\n}"): (typeof documents)["query ManagementClusters {\n  managementClusters {\n    id\n    name\n    server\n    reachable\n    synced\n    error\n    lastSyncTime\n    capiVersion\n    providers {\n      name\n      type\n      version\n    }\n    providersUnavailableReason\n    clusterCount\n  }\n}\n\nquery FleetSummary($filter: ClusterFilter) {\n  fleetSummary(filter: $filter) {\n    clusters\n    byPhase {\n      key\n      count\n    }\n    byKubernetesVersion {\n      key\n      count\n    }\n    byInfrastructureKind {\n      key\n      count\n    }\n    byManagementCluster {\n      key\n      count\n    }\n    errors {\n      managementCluster\n      message\n    }\n  }\n}\n\nquery ClusterNames($first: Int, $after: String, $filter: ClusterFilter) {\n  clusters(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    errors {\n      managementCluster\n      message\n    }\n    edges {\n      node {\n        id\n        name\n        namespace\n        managementCluster {\n          name\n        }\n      }\n    }\n  }\n}\n\nquery NodeById($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on CapiObject {\n      name\n      namespace\n      kind\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ClustersByPhase($phase: ClusterPhase, $machinePhase: MachinePhase) {\n  clusters(filter: {phase: $phase}) {\n    totalCount\n    edges {\n      node {\n        name\n        phase\n        machines(filter: {phase: $machinePhase}) {\n          name\n          phase\n        }\n        machineDeployments {\n          name\n          phase\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query ClustersByPhase($phase: ClusterPhase, $machinePhase: MachinePhase) {\n  clusters(filter: {phase: $phase}) {\n    totalCount\n    edges {\n      node {\n        name\n        phase\n        machines(filter: {phase: $machinePhase}) {\n          name\n          phase\n        }\n        machineDeployments {\n          name\n          phase\n        }\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;