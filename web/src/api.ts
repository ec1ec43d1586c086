/**
 * How the dashboard talks to the gateway: queries and mutations through the typed client over
 * HTTP, subscriptions over graphql-ws on the same path. When authentication is on and the gateway
 * answers 401, the app asks for a bearer token, keeps it in sessionStorage (gone with the tab)
 * and sends it as the Authorization header and in graphql-ws' connection_init payload.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient, type GatewayClient, type Result } from '../../client/gateway-client.ts';

const tokenKey = 'capi-gateway.token';
const graphqlPath = '/graphql';

type AuthListener = (needed: boolean) => void;
const authListeners = new Set<AuthListener>();
let authNeeded = false;

function setAuthNeeded(needed: boolean): void {
  if (authNeeded === needed) return;
  authNeeded = needed;
  for (const listener of authListeners) listener(needed);
}

export function onAuthNeeded(listener: AuthListener): () => void {
  authListeners.add(listener);
  listener(authNeeded);
  return () => authListeners.delete(listener);
}

export function token(): string | undefined {
  return sessionStorage.getItem(tokenKey) ?? undefined;
}

/** A 401 from HTTP or a refused graphql-ws handshake: the token is missing or wrong. */
const watchedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (res.status === 401) setAuthNeeded(true);
  return res;
};

let http: GatewayClient = makeHttp();
let ws: WsClient = makeWs();

function makeHttp(): GatewayClient {
  const current = token();
  return createClient({
    url: new URL(graphqlPath, location.href).toString(),
    fetch: watchedFetch,
    ...(current ? { token: current } : {}),
  });
}

function makeWs(): WsClient {
  const url = new URL(graphqlPath, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsClient({
    url: url.toString(),
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: () => {
      const current = token();
      return current ? { authorization: `Bearer ${current}` } : {};
    },
    on: {
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code;
        if (code === 4401 || code === 4403) setAuthNeeded(true);
      },
    },
  });
}

/** Saves the token and reconnects everything with it. */
export function setToken(value: string): void {
  if (value) sessionStorage.setItem(tokenKey, value);
  else sessionStorage.removeItem(tokenKey);
  http = makeHttp();
  void ws.dispose();
  ws = makeWs();
  setAuthNeeded(false);
  for (const listener of reconnectListeners) listener();
}

const reconnectListeners = new Set<() => void>();
/** Called once a new token is in use: what was loaded or subscribed with the old one starts again. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

export function request<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
): Promise<Result<TData>> {
  return http.request(document, variables);
}

export interface SubscriptionHandlers<TData> {
  /** `errors`: what could not be answered next to the data (e.g. a management cluster down). */
  next(data: TData, errors?: string): void;
  error?(message: string): void;
}

const texts = new WeakMap<object, string>();
function textOf(document: object): string {
  let text = texts.get(document);
  if (text === undefined) texts.set(document, (text = print(document as never)));
  return text;
}

/**
 * Subscribes over graphql-ws; returns the unsubscribe. Errors on the path arrive with data. A new
 * token replaces the socket: the app remounts its page (onReconnect), which subscribes again.
 */
export function subscribe<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  handlers: SubscriptionHandlers<TData>,
): () => void {
  return ws.subscribe<TData>(
    { query: textOf(document), variables },
    {
      next: (result) => {
        const errors = result.errors?.length ? result.errors.map((e) => e.message).join('; ') : undefined;
        if (result.data) handlers.next(result.data, errors);
        else if (errors) handlers.error?.(errors);
      },
      error: (error) => handlers.error?.(error instanceof Error ? error.message : 'subscription closed'),
      complete: () => undefined,
    },
  );
}

export type { Result };
