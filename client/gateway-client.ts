/**
 * A small typed client for the gateway over HTTP and graphql-ws: `request(Document, variables)`
 * returns the operation's typed data or a `ClientError` value; `subscribe(Document, variables)`
 * yields such results as the stream sends them (neither throws for transport or GraphQL errors).
 * The documents are client/documents/*.graphql; their types are generated into client/generated/.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';

export type ClientError =
  /** Nothing answers at the URL (connection refused, DNS, reset). */
  | { kind: 'unreachable'; url: string; message: string }
  /** The server answered with a non-GraphQL response (a wrong URL, a proxy error page). */
  | { kind: 'http'; url: string; status: number; message: string }
  /**
   * The request reached GraphQL and failed there (validation, an execution error). In a
   * subscription, `code` MANAGEMENT_CLUSTER_UNAVAILABLE is one event's error: the stream goes on.
   */
  | { kind: 'graphql'; message: string; code?: string };

/** A GraphQL error next to data: a part of the answer (e.g. one management cluster's) is missing. */
export interface PartialError {
  message: string;
  path?: ReadonlyArray<string | number>;
  code?: string;
}

/** `partial` lists the errors that came with data (the gateway answers what it can). */
export type Result<T> = { ok: true; data: T; partial: PartialError[] } | { ok: false; error: ClientError };

export interface GatewayClient {
  readonly url: string;
  request<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
  ): Promise<Result<TData>>;
  /**
   * A subscription over graphql-ws (on the GraphQL URL, ws:// for http://): each result as it
   * comes; a failed connection or a stream error is one `ok: false` result, then the end.
   */
  subscribe<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
  ): AsyncGenerator<Result<TData>, void, undefined>;
  /** Closes the WebSocket, if one was opened. */
  close(): Promise<void>;
}

export interface ClientOptions {
  url: string;
  /** A bearer token, sent as `Authorization: Bearer …` when set. */
  token?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface GraphQLResponse {
  data?: unknown;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: unknown } }>;
}

export const unavailableCode = 'MANAGEMENT_CLUSTER_UNAVAILABLE';

export function createClient(options: ClientOptions): GatewayClient {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const texts = new WeakMap<object, string>();
  const textOf = (document: TypedDocumentNode<unknown, never>): string => {
    let text = texts.get(document);
    if (text === undefined) texts.set(document, (text = print(document)));
    return text;
  };

  let ws: WsClient | undefined;
  const wsClient = (): WsClient =>
    (ws ??= createWsClient({
      url: options.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      ...(options.token ? { connectionParams: { authorization: `Bearer ${options.token}` } } : {}),
    }));

  return {
    url: options.url,
    async *subscribe(document, variables) {
      const iterator = wsClient().iterate({
        query: textOf(document as never),
        variables: variables ?? {},
      });
      try {
        for await (const result of iterator) {
          const errors = (result.errors ?? []) as NonNullable<GraphQLResponse['errors']>;
          if (result.data === undefined || result.data === null) {
            const message = errors.map((e) => e.message).join('; ') || 'no data';
            // A management cluster away is an error on the path of one event; the stream goes on.
            const away = errors.length > 0 && errors.every((e) => e.extensions?.code === unavailableCode);
            yield {
              ok: false,
              error: { kind: 'graphql', message, ...(away ? { code: unavailableCode } : {}) },
            };
            if (!away) return;
            continue;
          }
          yield { ok: true, data: result.data as never, partial: errors.map(partialError) };
        }
      } catch (error) {
        yield { ok: false, error: streamError(options.url, error) };
      } finally {
        await iterator.return?.();
      }
    },
    async close() {
      await ws?.dispose();
    },
    async request(document, variables) {
      let res: Response;
      try {
        res = await doFetch(options.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: textOf(document as never), variables: variables ?? {} }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        return { ok: false, error: { kind: 'unreachable', url: options.url, message: causeOf(error) } };
      }
      const body = await readJson(res);
      if (body === undefined)
        return {
          ok: false,
          error: { kind: 'http', url: options.url, status: res.status, message: `HTTP ${res.status}` },
        };
      const errors = body.errors ?? [];
      if (body.data === undefined || body.data === null) {
        if (errors.length > 0)
          return { ok: false, error: { kind: 'graphql', message: errors.map((e) => e.message).join('; ') } };
        return {
          ok: false,
          error: { kind: 'http', url: options.url, status: res.status, message: 'no data' },
        };
      }
      return { ok: true, data: body.data as never, partial: errors.map(partialError) };
    },
  };
}

function partialError(e: NonNullable<GraphQLResponse['errors']>[number]): PartialError {
  const code = e.extensions?.code;
  return {
    message: e.message,
    ...(e.path ? { path: e.path } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

async function readJson(res: Response): Promise<GraphQLResponse | undefined> {
  try {
    const body = (await res.json()) as unknown;
    return typeof body === 'object' && body !== null ? (body as GraphQLResponse) : undefined;
  } catch {
    return undefined;
  }
}

/** fetch's "fetch failed" hides why; the cause (ECONNREFUSED, ENOTFOUND, a timeout) says it. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * What ends a stream: GraphQL errors (an array), a close (a CloseEvent-like object with a code
 * and reason), or a socket error event (nothing listens at the URL).
 */
function streamError(url: string, error: unknown): ClientError {
  if (Array.isArray(error))
    return { kind: 'graphql', message: error.map((e: { message?: string }) => e.message).join('; ') };
  const close = error as { code?: unknown; reason?: unknown; error?: { code?: string; message?: string } };
  if (typeof close.code === 'number')
    return {
      kind: 'unreachable',
      url,
      message: typeof close.reason === 'string' && close.reason ? close.reason : `closed ${close.code}`,
    };
  return {
    kind: 'unreachable',
    url,
    message: close.error?.code ?? close.error?.message ?? (error instanceof Error ? error.message : 'closed'),
  };
}
