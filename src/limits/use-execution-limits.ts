/**
 * The limits checked where a request is about to run, knowing its variables: its cost (with
 * `first: $n` resolved), the caller's running requests and open subscriptions; and those
 * applied while and after it runs: the execution deadline and the response size. A refused
 * request runs no resolver.
 */
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { clearDeadline, deadlineError, setDeadline } from './execution-deadline.ts';
import { limitKeyOf, type LimitSubject } from './identity-key.ts';
import { exceededLimits, limitExceeded } from './limit-error.ts';
import type { ListSizes } from './list-sizes.ts';
import { PerIdentityCap } from './per-identity-caps.ts';
import { costEstimator, queryCost } from './query-cost.ts';
import type { RequestLimits } from './request-limits.ts';
import { jsonBytesExceed } from './response-size.ts';

export interface ExecutionLimits {
  plugin: Plugin;
  /** Running queries and mutations, per identity. */
  requests: PerIdentityCap;
  /** Open subscriptions, per identity. */
  subscriptions: PerIdentityCap;
}

type Args = Parameters<NonNullable<Plugin['onExecute']>>[0]['args'];

function costError(args: Args, limits: RequestLimits, sizes: ListSizes) {
  const operationName = args.operationName ?? undefined;
  const variables = (args.variableValues ?? undefined) as Record<string, unknown> | undefined;
  const result = queryCost(args.schema, args.document, variables, operationName, costEstimator(sizes));
  if (result.ok) {
    if (result.cost <= limits.cost) return undefined;
    return limitExceeded(
      'cost',
      `The query's cost ${result.cost} exceeds the cost limit of ${limits.cost} (list fields count once per item: connections by first/last, other lists by their sizes).`,
      { max: limits.cost, found: result.cost },
    );
  }
  if (result.tooLarge)
    return limitExceeded('cost', `The query expands to too many fields to run (cost limit ${limits.cost}).`, {
      max: limits.cost,
    });
  // Variables that do not fit their types: execution refuses them itself, before any resolver.
  return undefined;
}

function tooMany(limit: 'concurrentRequests' | 'subscriptions', max: number) {
  const what = limit === 'concurrentRequests' ? 'requests running' : 'subscriptions open';
  return limitExceeded(limit, `Too many ${what} at once for this caller: the ${limit} limit is ${max}.`, {
    max,
    httpStatus: 429,
  });
}

function responseTooLarge(limits: RequestLimits) {
  return limitExceeded(
    'responseBytes',
    `The response is larger than the response size limit of ${limits.responseBytes} bytes; ask for fewer items (first/last) or fields.`,
    { max: limits.responseBytes },
  );
}

const isIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** A result cut short by the deadline answers with the one deadline error, not one per field. */
function boundedResult(result: ExecutionResult, limits: RequestLimits): ExecutionResult | undefined {
  if (exceededLimits(result.errors).includes('executionTimeout'))
    return { data: null, errors: [deadlineError(limits.executionTimeoutMs)] };
  if (jsonBytesExceed(result, limits.responseBytes))
    return { data: null, errors: [responseTooLarge(limits)] };
  return undefined;
}

export function executionLimits(limits: RequestLimits, sizes: () => ListSizes): ExecutionLimits {
  const requests = new PerIdentityCap(limits.concurrentRequests);
  const subscriptions = new PerIdentityCap(limits.subscriptions);
  const plugin: Plugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = costError(args, limits, sizes());
      if (refused) return setResultAndStopExecution({ errors: [refused] });
      const context = args.contextValue as object & LimitSubject;
      const release = requests.acquire(limitKeyOf(context));
      if (!release)
        return setResultAndStopExecution({
          errors: [tooMany('concurrentRequests', limits.concurrentRequests)],
        });
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      if (operation !== 'subscription') setDeadline(context, limits.executionTimeoutMs);
      return {
        onExecuteDone({ result, setResult }) {
          release();
          clearDeadline(context);
          if (isIterable(result)) return;
          const bounded = boundedResult(result, limits);
          if (bounded) setResult(bounded);
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = costError(args, limits, sizes());
      if (refused) return setResultAndStopExecution({ errors: [refused] });
      const release = subscriptions.acquire(limitKeyOf(args.contextValue as LimitSubject));
      if (!release)
        return setResultAndStopExecution({ errors: [tooMany('subscriptions', limits.subscriptions)] });
      return {
        onSubscribeResult({ result }) {
          if (!isIterable(result)) {
            release();
            return undefined;
          }
          return {
            onNext({ result: event, setResult }) {
              if (jsonBytesExceed(event, limits.responseBytes))
                setResult({ data: null, errors: [responseTooLarge(limits)] });
            },
            onEnd: release,
          };
        },
        onSubscribeError: () => release(),
      };
    },
  };
  return { plugin, requests, subscriptions };
}
