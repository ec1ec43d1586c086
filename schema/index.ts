import { isEnumType, isObjectType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import { phaseReaders } from './types/phases.ts';
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
import './types/node.ts';
import './types/fleet-summary.ts';
import './types/subscription.ts';
import './types/cluster-subscriptions.ts';
import './types/machine-subscriptions.ts';
import './types/fleet-summary-subscriptions.ts';
import './types/mutation.ts';
import './types/operation.ts';
import './types/operation-subscriptions.ts';
import './types/cluster-lifecycle.ts';
import './types/create-cluster.ts';
import './types/upgrade-plan.ts';
import './types/day2-mutations.ts';
import './types/fleet-upgrade.ts';

let schema: GraphQLSchema | undefined;

/**
 * The relay plugin resolves `id` on node types asynchronously (a promise per object: tens of
 * thousands on a full-fleet query). Every node type is a CAPI object whose view carries its
 * global ID (src/capi/object-id.ts, encoded once per object version), so `id` has no resolver at
 * all: graphql-jit reads it off the view inline, as it does every field without one.
 */
function nodeIdsOffViews(built: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const interfaces = type.getInterfaces().map((i) => i.name);
    const id = type.getFields()['id'];
    if (id && interfaces.includes('Node') && interfaces.includes('CapiObject')) id.resolve = undefined;
  }
  return built;
}

/**
 * Phase fields have no resolver (schema/types/phases.ts): each phase enum reads the phase as
 * Cluster API wrote it when it serialises — `Unknown` for one this gateway does not know — so
 * one unexpected object never fails a query.
 */
function phasesReadUnknown(built: GraphQLSchema): GraphQLSchema {
  for (const [name, read] of Object.entries(phaseReaders)) {
    const type = built.getType(name);
    if (!isEnumType(type)) throw new Error(`phase enum ${name} is missing from the schema`);
    const serialize = type.serialize.bind(type);
    type.serialize = (value: unknown) => serialize(typeof value === 'string' ? read(value) : value);
  }
  return built;
}

/** The gateway's executable schema (built once; resolvers read through the context's reader). */
export function buildGatewaySchema(): GraphQLSchema {
  schema ??= phasesReadUnknown(nodeIdsOffViews(builder.toSchema()));
  return schema;
}

/** The SDL committed as schema/schema.graphql: sorted so diffs show real changes only. */
export function printGatewaySchema(): string {
  return printSchema(lexicographicSortSchema(buildGatewaySchema())) + '\n';
}
