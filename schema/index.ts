import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { encodeGlobalId } from '../resolvers/global-id.ts';
import type { CapiView, ObjectAddress } from '../src/capi/views.ts';
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
import './types/mutation.ts';
import './types/operation.ts';
import './types/cluster-lifecycle.ts';
import './types/create-cluster.ts';
import './types/upgrade-plan.ts';
import './types/day2-mutations.ts';
import './types/fleet-upgrade.ts';

let schema: GraphQLSchema | undefined;

/**
 * The relay plugin resolves `id` on node types asynchronously (a promise per object: tens of
 * thousands on a full-fleet query; with encoding each ID anew, ~30% of its CPU). Every node
 * type is a CAPI object whose ID is its address, so it is answered synchronously here, encoded
 * once per view (views are immutable; a changed object gets a new one).
 */
function synchronousNodeIds(built: GraphQLSchema): GraphQLSchema {
  const ids = new WeakMap<ObjectAddress, string>();
  const resolve = (view: CapiView): string => {
    let id = ids.get(view.address);
    if (id === undefined) ids.set(view.address, (id = encodeGlobalId(view.address)));
    return id;
  };
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const interfaces = type.getInterfaces().map((i) => i.name);
    const id = type.getFields()['id'];
    if (id && interfaces.includes('Node') && interfaces.includes('CapiObject')) id.resolve = resolve;
  }
  return built;
}

/** The gateway's executable schema (built once; resolvers read through the context's reader). */
export function buildGatewaySchema(): GraphQLSchema {
  schema ??= synchronousNodeIds(builder.toSchema());
  return schema;
}

/** The SDL committed as schema/schema.graphql: sorted so diffs show real changes only. */
export function printGatewaySchema(): string {
  return printSchema(lexicographicSortSchema(buildGatewaySchema())) + '\n';
}
