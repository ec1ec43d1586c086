import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../resolvers/context.ts';
import { ManagementClusterUnavailableError } from '../resolvers/errors.ts';
import type { UnavailableManagementCluster } from '../src/capi/fleet-reader.ts';

/**
 * Fleet-wide resolvers answer `{ …, unavailable }`: what the reachable management clusters
 * hold, and which could not answer. The data goes out as the field's value; each unavailable
 * management cluster becomes an error on the field's path (added to the response by
 * src/partial-errors.ts), so a client sees both without asking.
 */
export function reportUnavailable<R extends { unavailable: readonly UnavailableManagementCluster[] }>(
  result: R,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): R {
  if (result.unavailable.length === 0) return result;
  const path = responsePathAsArray(info.path);
  for (const u of result.unavailable) {
    const error = new ManagementClusterUnavailableError(u.managementCluster, u.message);
    ctx.partialErrors.push(new GraphQLError(error.message, { path, extensions: error.extensions }));
  }
  return result;
}

/** The items of a fleet-wide result, its unavailable management clusters reported on the path. */
export function itemsReportingUnavailable<T>(
  result: { items: T[]; unavailable: readonly UnavailableManagementCluster[] },
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): T[] {
  return reportUnavailable(result, ctx, info).items;
}
