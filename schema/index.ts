import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './types/scalars.ts';
import './types/errors.ts';
import './types/condition.ts';
import './types/capi-object.ts';
import './types/management-cluster.ts';
import './types/cluster.ts';
import './types/control-plane.ts';
import './types/machine-deployment.ts';
import './types/machine.ts';
import './types/cluster-class.ts';
import './types/provider-objects.ts';
import './types/query.ts';

let schema: GraphQLSchema | undefined;

/** The gateway's executable schema (built once; resolvers read through the context's reader). */
export function buildGatewaySchema(): GraphQLSchema {
  schema ??= builder.toSchema();
  return schema;
}

/** The SDL committed as schema/schema.graphql: sorted so diffs show real changes only. */
export function printGatewaySchema(): string {
  return printSchema(lexicographicSortSchema(buildGatewaySchema())) + '\n';
}
