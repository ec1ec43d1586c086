import {
  createSourceEventStream,
  execute,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

type MaybePromise<T> = T | Promise<T>;

/** Each document's text, printed once (yoga's parser cache hands equal queries the same node). */
const documentTexts = new WeakMap<DocumentNode, string>();

function documentText(document: DocumentNode): string {
  let text = documentTexts.get(document);
  if (text === undefined) documentTexts.set(document, (text = print(document)));
  return text;
}

/**
 * What makes two subscribers' results for the same event the same: who asks (with
 * authentication, what a result may show depends on the caller's RBAC), query, operation,
 * variables.
 */
function selectionKey(args: ExecutionArgs): string {
  const identity = (args.contextValue as { identity?: { user: string; groups: string[] } } | null)?.identity;
  const who = identity ? `${identity.user}\0${identity.groups.join(',')}` : '';
  return `${who}\0${args.operationName ?? ''}\0${JSON.stringify(args.variableValues ?? {})}\0${documentText(args.document)}`;
}

/**
 * Results per event (the source's payload object) per selection. Streams that hand the same
 * payload object to many subscribers (one per pub/sub message: resolvers/cluster-streams.ts)
 * are executed once per distinct selection, not once per subscriber. Held weakly: a result
 * lives while a subscriber holds it (being sent, or as the last one sent), so the messages
 * waiting in a slow subscriber's buffer do not keep every result computed for them alive.
 */
const resultsByPayload = new WeakMap<object, Map<string, WeakRef<MaybePromise<ExecutionResult>>>>();

/**
 * Fleet-wide fields collect the management clusters that could not answer in the context's
 * `partialErrors` (schema/unavailable.ts), which src/partial-errors.ts adds to a query's
 * response. A subscription's context lives as long as it does: each event gets its own list,
 * added to that event's result, so an outage is an error on the path of every value sent
 * during it and nothing piles up in the context.
 */
function executeEvent(payload: unknown, args: ExecutionArgs): MaybePromise<ExecutionResult> {
  const context = args.contextValue as { partialErrors?: unknown } | null | undefined;
  if (!Array.isArray(context?.partialErrors)) return execute({ ...args, rootValue: payload });
  const partialErrors: GraphQLError[] = [];
  const withErrors = (result: ExecutionResult): ExecutionResult =>
    partialErrors.length === 0 ? result : { ...result, errors: [...(result.errors ?? []), ...partialErrors] };
  const result = execute({ ...args, rootValue: payload, contextValue: { ...context, partialErrors } });
  return result instanceof Promise ? result.then(withErrors) : withErrors(result);
}

function sharedResult(payload: unknown, args: ExecutionArgs): MaybePromise<ExecutionResult> {
  const run = () => executeEvent(payload, args);
  if (typeof payload !== 'object' || payload === null) return run();
  let results = resultsByPayload.get(payload);
  if (!results) resultsByPayload.set(payload, (results = new Map()));
  const key = selectionKey(args);
  const held = results.get(key)?.deref();
  if (held !== undefined) return held;
  const result = run();
  results.set(key, new WeakRef(result));
  return result;
}

/** Maps the source stream to results; hand-written so return() reaches the source at once (see stream.ts). */
function mapped(source: AsyncIterator<unknown>, args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> {
  const it: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const r = await source.next();
      if (r.done) return { value: undefined, done: true };
      return { value: await sharedResult(r.value, args), done: false };
    },
    return: async () => {
      await source.return?.();
      return { value: undefined, done: true };
    },
    throw: async (e?: unknown) => {
      await source.return?.();
      throw e;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

async function subscribeShared(
  args: ExecutionArgs,
): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  return mapped(source[Symbol.asyncIterator](), args);
}

/**
 * Subscriptions execute each event once per distinct selection, whatever the number of
 * subscribers to it: at 1,000 subscribers of one cluster an event costs one execution, not a
 * thousand. Every subscriber's result is computed from the same state with the same resolvers
 * and nothing in them reads the caller; once authentication exists, what a caller may see must
 * join the key in `selectionKey`. Placed after graphql-jit, whose per-subscriber subscribe it
 * replaces (the once-per-event execution is graphql-js's; documents are small).
 */
export function useSharedSubscriptionResults(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeShared as never);
    },
  };
}
