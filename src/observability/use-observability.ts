/**
 * Metrics and logs of every GraphQL request: its ID (the client's `x-request-id` when it is a
 * sane one, else a new one, echoed in the response), operation name and type, outcome and
 * duration — for HTTP and SSE requests as yoga sees them, for graphql-ws operations as they
 * execute. Requests refused while parsed or validated never execute: the HTTP side counts them
 * from their result.
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST, type ExecutionResult, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitKeyOf, type LimitSubject } from '../limits/identity-key.ts';
import { exceededLimits } from '../limits/limit-error.ts';
import { loggableError, type GatewayLogger } from './logger.ts';
import type { GatewayMetrics, OperationType, Outcome } from './metrics.ts';

interface RequestRecord {
  id: string;
  start: number;
  operation?: string | undefined;
  type: OperationType;
  outcome?: Outcome;
}

/** The first operation's type and name, as written (`query Name`), without parsing the document. */
const operationHeader = /^(?:\s|#[^\n]*\n)*(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdOf(header: string | null | undefined): string {
  return header && requestIdPattern.test(header) ? header : randomUUID();
}

const codeOf = (e: unknown): unknown => (e as { extensions?: { code?: unknown } }).extensions?.code;

export function outcomeOf(errors: readonly unknown[] | undefined): Outcome {
  if (!errors || errors.length === 0) return 'ok';
  if (exceededLimits(errors).length > 0) return 'rejected';
  if (
    errors.some((e) =>
      ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT'].includes(String(codeOf(e))),
    )
  )
    return 'invalid';
  return 'error';
}

const isIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

interface YogaContext extends LimitSubject {
  request?: Request & LimitSubject['request'];
}

export interface Observability {
  plugin: Plugin;
  /** A graphql-ws operation refused before execution (parse or validation errors). */
  refused(errors: readonly GraphQLError[], caller: string): void;
}

export function requestObservability(metrics: GatewayMetrics, logger: GatewayLogger): Observability {
  const byRequest = new WeakMap<Request, RequestRecord>();

  /** Unexpected errors are masked for the client; the log keeps them, redacted. */
  const logUnexpected = (errors: readonly GraphQLError[] | undefined, requestId: string) => {
    for (const error of errors ?? []) {
      const original = (error as { originalError?: unknown }).originalError;
      if (original && !(original as { extensions?: unknown }).extensions)
        logger.error({ requestId, path: error.path, err: loggableError(original) }, 'unexpected error');
    }
  };

  const finish = (record: RequestRecord, result: ExecutionResult | undefined, who: string) => {
    const errors = result?.errors;
    record.outcome = outcomeOf(errors);
    const limits = exceededLimits(errors);
    metrics.rejectedBy(limits);
    const seconds = (performance.now() - record.start) / 1000;
    metrics.observe(
      record.operation,
      record.type,
      record.outcome,
      record.type === 'subscription' ? undefined : seconds,
    );
    logger.info(
      {
        requestId: record.id,
        operation: metrics.operationLabel(record.operation),
        type: record.type,
        outcome: record.outcome,
        ...(limits.length > 0 ? { limits } : {}),
        durationMs: Math.round(seconds * 1000),
        caller: who,
      },
      'graphql request',
    );
  };

  const operationOf = (args: {
    document: Parameters<typeof getOperationAST>[0];
    operationName?: string | null;
  }) => {
    const op = getOperationAST(args.document, args.operationName);
    return {
      operation: args.operationName ?? op?.name?.value,
      type: (op?.operation ?? 'unknown') as OperationType,
    };
  };

  /** The record of an operation: its HTTP request's, or a new one for graphql-ws. */
  const recordFor = (
    context: YogaContext,
    found: { operation?: string | undefined; type: OperationType },
  ) => {
    const existing = context.request ? byRequest.get(context.request) : undefined;
    const record = existing ?? { id: randomUUID(), start: performance.now(), type: found.type };
    record.operation = found.operation;
    record.type = found.type;
    return { record, http: existing !== undefined };
  };

  const plugin: Plugin = {
    onRequest({ request }) {
      byRequest.set(request, {
        id: requestIdOf(request.headers.get('x-request-id')),
        start: performance.now(),
        type: 'unknown',
      });
    },
    onParams({ request, params }) {
      const record = byRequest.get(request);
      if (!record) return;
      // What the request says it is, for one refused before it is parsed or validated.
      const named = typeof params.query === 'string' ? operationHeader.exec(params.query) : null;
      if (named) record.type = named[1] as OperationType;
      record.operation = typeof params.operationName === 'string' ? params.operationName : named?.[2];
    },
    onExecute({ args }) {
      const context = args.contextValue as YogaContext;
      const { record, http } = recordFor(context, operationOf(args));
      return {
        onExecuteDone({ result }) {
          if (isIterable(result)) return;
          logUnexpected(result.errors, record.id);
          if (!http) finish(record, result, limitKeyOf(context));
          else record.outcome = outcomeOf(result.errors);
        },
      };
    },
    onSubscribe({ args }) {
      const context = args.contextValue as YogaContext;
      const { record, http } = recordFor(context, operationOf(args));
      return {
        onSubscribeResult({ result }) {
          const settled = isIterable(result) ? undefined : result;
          if (!http) finish(record, settled, limitKeyOf(context));
          else record.outcome = outcomeOf(settled?.errors);
        },
      };
    },
    onResultProcess({ request, result, serverContext }) {
      // Every HTTP request ends here, refused before execution (parse, validation, CSRF) or not.
      const record = byRequest.get(request);
      if (record) {
        const settled = Array.isArray(result) || isIterable(result) ? undefined : (result as ExecutionResult);
        finish(record, settled, limitKeyOf(serverContext as LimitSubject));
      }
    },
    onResponse({ request, response }) {
      const record = byRequest.get(request);
      if (record) response.headers.set('x-request-id', record.id);
    },
  };
  return {
    plugin,
    refused(errors, caller) {
      finish({ id: randomUUID(), start: performance.now(), type: 'unknown' }, { errors }, caller);
    },
  };
}
