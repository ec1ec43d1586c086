/**
 * A field answered from the reachable management clusters still reports the unreachable ones
 * (schema/unavailable.ts turns them into errors on the field's path, collected in the request's
 * context): this plugin adds them to the response's `errors`, after the data.
 */
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../resolvers/context.ts';

function hasPathErrors(value: unknown): value is GatewayContext {
  return Array.isArray((value as { partialErrors?: unknown } | null)?.partialErrors);
}

export function usePartialErrors(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const ctx = args.contextValue;
          if (!hasPathErrors(ctx) || ctx.partialErrors.length === 0 || Symbol.asyncIterator in result) return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...ctx.partialErrors] });
        },
      };
    },
  };
}
