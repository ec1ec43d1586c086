/**
 * The composition root of the gateway: informer caches for every management cluster, the
 * Pothos schema, and a graphql-yoga server (GraphiQL on, /healthz, /readyz) on one HTTP port.
 * `buildGateway` is the same without HTTP, for the benchmark and tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Context as WsContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createGatewayContext, type GatewayContext } from '../resolvers/context.ts';
import { usePartialErrors } from './partial-errors.ts';
import { useEnumValuesHint } from './enum-values-hint.ts';
import { buildGatewaySchema } from '../schema/index.ts';
import { serveHealth } from './health.ts';
import { defaultDashboardDir, serveDashboard } from './dashboard-static.ts';
import { useKnownOperationTypes } from './known-operation-types.ts';
import { createFleet, type Fleet } from './capi/fleet.ts';
import type { ConnectionOptions } from './k8s/management-cluster-connection.ts';
import { graphiqlOptions, renderGraphiQL } from './graphiql.ts';
import { ClusterChangeHub, type ClusterChangeHubOptions } from './subscriptions/cluster-change-hub.ts';
import { useChangedResultsOnly } from './subscriptions/changed-results-only.ts';
import { useSharedSubscriptionResults } from './subscriptions/shared-results.ts';
import {
  tooFarBehindCloseCode,
  tooFarBehindReason,
  useCloseTooFarBehind,
} from './subscriptions/too-far-behind.ts';
import { defaultOperationTypes } from './provisioning/operation-types.ts';
import { provisioningLimits, type ProvisioningLimits } from './provisioning/provisioning-limits.ts';
import { FleetOperations, type OperationsOptions } from './provisioning/operations/fleet-operations.ts';
import type { OperationType } from './provisioning/operations/operation-type.ts';
import { operationKind } from './provisioning/operations/operation-crd.ts';
import { expiredError } from './auth/token-expiry.ts';
import { gatewayAuth, type GatewayAuth, type GatewayAuthOptions } from './auth/gateway-auth.ts';
import { withExecutionDeadline } from './limits/execution-deadline.ts';
import { gatewayLimits } from './limits/gateway-limits.ts';
import { limitKeyOf, type LimitSubject } from './limits/identity-key.ts';
import { cachedListSizes, fixedListSizes, measureListSizes } from './limits/list-sizes.ts';
import { PerIdentityCap } from './limits/per-identity-caps.ts';
import { refuseBody } from './limits/request-body-limit.ts';
import { requestLimits, type RequestLimits } from './limits/request-limits.ts';
import { admitConnection } from './limits/websocket-limits.ts';
import { silentLogger, type GatewayLogger } from './observability/logger.ts';
import { GatewayMetrics } from './observability/metrics.ts';
import { serveMetrics } from './observability/serve-metrics.ts';
import { requestObservability, type Observability } from './observability/use-observability.ts';

export interface ResolvedManagementCluster {
  name: string;
  kubeconfigPath: string;
  context?: string;
}

export interface GatewayOptions {
  managementClusters: ResolvedManagementCluster[];
  /** Use these caches instead of connecting to `managementClusters` (benchmarks, fakes). */
  fleet?: Fleet;
  connection?: ConnectionOptions;
  /** Compile queries with graphql-jit (default true). */
  jit?: boolean;
  /** Limits on day-2 changes (gateway config `provisioning`); unset ones take the defaults. */
  provisioning?: Partial<ProvisioningLimits>;
  /** How operations are driven (lease, resync); `types` adds to the default operation types. */
  operations?: Partial<Omit<OperationsOptions, 'types'>> & { types?: readonly OperationType[] };
  /** Coalescing and history of the subscriptions' pub/sub. */
  subscriptions?: ClusterChangeHubOptions;
  /** graphql-ws: ms a client has to send connection_init (default 3,000). */
  connectionInitWaitTimeoutMs?: number;
  /** Authenticate callers and follow the management clusters' RBAC for them (absent: auth mode none). */
  auth?: GatewayAuthOptions;
  /** Request limits (gateway config `limits`); unset ones take the defaults. */
  limits?: Partial<RequestLimits>;
  /** Where the request log goes (default: nowhere). */
  logger?: GatewayLogger;
  /** Process metrics (CPU, memory, event loop) in /metrics (default false: `serve` turns them on). */
  processMetrics?: boolean;
}

export interface Gateway {
  fleet: Fleet;
  /** The operations of every management cluster; `start()` installs their CRD and drives them. */
  operations: FleetOperations;
  schema: GraphQLSchema;
  /** The one pub/sub every subscription reads, fed by the caches. */
  changes: ClusterChangeHub;
  /** A fresh per-request context over the cache-backed reader. */
  context(): GatewayContext;
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  /** Present when callers are authenticated. */
  auth?: GatewayAuth;
  /** The request limits in force. */
  limits: RequestLimits;
  /** What each identity holds at once: running requests, subscriptions, graphql-ws connections. */
  caps: { requests: PerIdentityCap; subscriptions: PerIdentityCap; connections: PerIdentityCap };
  metrics: GatewayMetrics;
  observability: Observability;
  logger: GatewayLogger;
}

export function buildGateway(options: GatewayOptions): Gateway {
  const fleet = options.fleet
    ? { ok: true as const, value: options.fleet }
    : createFleet(options.managementClusters, options.connection);
  if (!fleet.ok) throw new Error(fleet.error.message);
  const schema = withExecutionDeadline(buildGatewaySchema());
  const operations = new FleetOperations(fleet.value, {
    ...options.operations,
    types: [...defaultOperationTypes(), ...(options.operations?.types ?? [])],
  });
  const limits = provisioningLimits(options.provisioning);
  const changes = new ClusterChangeHub(fleet.value.caches, options.subscriptions);
  const context = (): GatewayContext => ({
    ...createGatewayContext(fleet.value.reader, operations, changes),
    provisioningLimits: limits,
  });
  const auth = options.auth
    ? gatewayAuth(options.auth, fleet.value, [
        {
          ...operationKind,
          namespaces: (mc) => (operations.store(mc)?.list() ?? []).map((op) => op.address.namespace),
        },
      ])
    : undefined;
  const requestLimitsInForce = requestLimits(options.limits);
  const listSize = requestLimitsInForce.listSize;
  const sizes =
    listSize !== undefined
      ? () => fixedListSizes(listSize)
      : cachedListSizes(() => measureListSizes(fleet.value.reader, () => operations.list().length));
  const guard = gatewayLimits(requestLimitsInForce, sizes);
  const connections = new PerIdentityCap(requestLimitsInForce.connections);
  const metrics = new GatewayMetrics(
    {
      fleet: fleet.value,
      activeSubscriptions: () => guard.execution.subscriptions.total(),
      activeConnections: () => connections.total(),
    },
    { defaultMetrics: options.processMetrics ?? false },
  );
  const logger = options.logger ?? silentLogger();
  const observability = requestObservability(metrics, logger);
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    context: auth ? (initial) => auth.contextFor(initial, context()) : context,
    graphiql: requestLimitsInForce.graphiql ? graphiqlOptions : false,
    renderGraphiQL,
    maskedErrors: true,
    logging: false,
    plugins: [
      observability.plugin,
      ...guard.plugins,
      useKnownOperationTypes(),
      ...(options.jit === false ? [] : [useGraphQlJit()]),
      usePartialErrors(),
      useEnumValuesHint(),
      useSharedSubscriptionResults(),
      useChangedResultsOnly(),
      useCloseTooFarBehind(),
      ...(auth ? auth.plugins : []),
    ],
  });
  return {
    fleet: fleet.value,
    operations,
    schema,
    changes,
    context,
    yoga,
    limits: requestLimitsInForce,
    caps: { requests: guard.execution.requests, subscriptions: guard.execution.subscriptions, connections },
    metrics,
    observability,
    logger,
    ...(auth ? { auth } : {}),
  };
}

export interface AppOptions extends GatewayOptions {
  host: string;
  port: number;
  /** The built web dashboard served at `/` (default web/dist/ of this package). */
  dashboardDir?: string;
}

export interface App {
  url: string;
  gateway: Gateway;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * graphql-ws on the GraphQL path of the same port, through yoga's envelop (same schema,
 * context and plugins as HTTP) — queries today, subscriptions when the schema has them.
 */
/** A socket with more than this waiting to be written has a client too far behind: closed. */
const maxBufferedBytes = 4 * 1024 * 1024;
export { tooFarBehindCloseCode };

function serveGraphqlWs(
  server: Server,
  gateway: Gateway,
  connectionInitWaitTimeout: number,
): WebSocketServer {
  const wss = new WebSocketServer({
    server,
    path: gateway.yoga.graphqlEndpoint,
    // A bigger message closes the socket with 1009 before it is parsed.
    maxPayload: gateway.limits.webSocketMessageBytes,
  });
  interface EnvelopedRoot {
    execute: (args: unknown) => unknown;
    subscribe: (args: unknown) => unknown;
  }
  /** The context an operation of this connection would get: who is asking. */
  const subjectOf = async (ctx: WsContext<Record<string, unknown> | undefined, Extra>) => {
    // With authentication the socket's identity is known from connection_init.
    if (gateway.auth)
      return {
        identity: gateway.auth.socketIdentity(ctx.extra.socket),
        req: ctx.extra.request,
      } as LimitSubject;
    const enveloped = gateway.yoga.getEnveloped({
      ...ctx,
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      params: {},
    });
    try {
      return (await enveloped.contextFactory()) as LimitSubject;
    } catch {
      return { req: ctx.extra.request };
    }
  };
  useServer(
    {
      connectionInitWaitTimeout,
      // Who is asking first (closes with 4401 when the token is bad), then the per-identity cap.
      onConnect: async (ctx) => {
        if (gateway.auth && !(await gateway.auth.graphqlWs.onConnect(ctx))) return false;
        return admitConnection(gateway.caps.connections, ctx.extra.socket, () => subjectOf(ctx));
      },
      onNext: (ctx) => {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > maxBufferedBytes) socket.close(tooFarBehindCloseCode, tooFarBehindReason);
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const identity = gateway.auth?.socketIdentity(ctx.extra.socket);
        if (gateway.auth && !identity) return [expiredError()];
        const { schema, execute, subscribe, contextFactory, parse, validate } = gateway.yoga.getEnveloped({
          ...ctx,
          identity,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const caller = limitKeyOf({ req: ctx.extra.request });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(params.query);
        } catch (error) {
          // A syntax error or the tokens limit: an error message, not a closed socket.
          if (!(error instanceof GraphQLError)) throw error;
          gateway.observability.refused([error], caller);
          return [error];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) {
          gateway.observability.refused(errors, caller);
          return errors;
        }
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );
  return wss;
}

export async function buildApp(options: AppOptions): Promise<App> {
  const gateway = buildGateway(options);
  const dashboardDir = options.dashboardDir ?? defaultDashboardDir;
  const server = createServer((req, res) => {
    if (serveHealth(req, res, () => gateway.fleet.reader.managementClusters())) return;
    if (serveMetrics(req, res, gateway.metrics, options.auth?.authenticate)) return;
    if (refuseBody(req, res, gateway.limits.requestBodyBytes)) {
      gateway.metrics.rejectedBy(['requestBodyBytes']);
      return;
    }
    void serveDashboard(req, res, dashboardDir, gateway.yoga.graphqlEndpoint).then((served) => {
      if (!served) void gateway.yoga(req, res);
    });
  });
  // graphql-ws joins once the port is ours: attached earlier, a failed listen reaches it as an
  // "Internal error emitted on the WebSocket server" with a stack trace.
  let wss: WebSocketServer | undefined;
  const app: App = {
    url: '',
    gateway,
    async start() {
      gateway.fleet.start();
      gateway.operations.start();
      const address = await listen(server, options.host, options.port);
      wss = serveGraphqlWs(server, gateway, options.connectionInitWaitTimeoutMs ?? 3_000);
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      app.url = `http://${host}:${address.port}/graphql`;
    },
    async stop() {
      for (const client of wss?.clients ?? []) client.terminate();
      await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // A clean stop hands the operation leases over at once.
      await gateway.operations.stop({ release: true });
      gateway.changes.stop();
      await gateway.fleet.stop();
    },
  };
  return app;
}
