import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { UnavailableManagementCluster } from '../src/capi/fleet-reader.ts';
import type { GatewayContext } from './context.ts';

/**
 * A field answered from the reachable management clusters still reports the unreachable
 * ones: each becomes an entry in the response's `errors` with the field's path.
 */
export function recordUnavailable(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  unavailable: UnavailableManagementCluster[],
): void {
  for (const u of unavailable) {
    ctx.partialErrors.push(
      new GraphQLError(`management cluster '${u.managementCluster}' is unavailable: ${u.message}`, {
        path: responsePathAsArray(info.path),
        extensions: { code: 'MANAGEMENT_CLUSTER_UNAVAILABLE', managementCluster: u.managementCluster },
      }),
    );
  }
}

function hasPartialErrors(value: unknown): value is GatewayContext {
  return Array.isArray((value as { partialErrors?: unknown } | null)?.partialErrors);
}

/** Appends the recorded partial errors to the execution result. */
export function usePartialErrors(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const ctx = args.contextValue;
          if (!hasPartialErrors(ctx) || ctx.partialErrors.length === 0 || Symbol.asyncIterator in result)
            return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...ctx.partialErrors] });
        },
      };
    },
  };
}
