/**
 * The composition root of the gateway: informer caches for every management cluster, the
 * Pothos schema, and a graphql-yoga server (GraphiQL on, /healthz, /readyz) on one HTTP port.
 * `buildGateway` is the same without HTTP, for the benchmark and tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useGraphQlJit } from '@envelop/graphql-jit';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
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
import { defaultOperationTypes } from './provisioning/operation-types.ts';
import { provisioningLimits, type ProvisioningLimits } from './provisioning/provisioning-limits.ts';
import { FleetOperations, type OperationsOptions } from './provisioning/operations/fleet-operations.ts';
import type { OperationType } from './provisioning/operations/operation-type.ts';

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
}

export function buildGateway(options: GatewayOptions): Gateway {
  const fleet = options.fleet
    ? { ok: true as const, value: options.fleet }
    : createFleet(options.managementClusters, options.connection);
  if (!fleet.ok) throw new Error(fleet.error.message);
  const schema = buildGatewaySchema();
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
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    context,
    graphiql: graphiqlOptions,
    renderGraphiQL,
    maskedErrors: true,
    logging: false,
    plugins: [
      useKnownOperationTypes(),
      ...(options.jit === false ? [] : [useGraphQlJit()]),
      usePartialErrors(),
      useEnumValuesHint(),
      useChangedResultsOnly(),
    ],
  });
  return { fleet: fleet.value, operations, schema, changes, context, yoga };
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
/** The close code for it (4000-4999 are the application's; graphql-ws uses 44xx). */
export const tooFarBehindCloseCode = 4413;

function serveGraphqlWs(
  server: Server,
  gateway: Gateway,
  connectionInitWaitTimeout: number,
): WebSocketServer {
  const wss = new WebSocketServer({ server, path: gateway.yoga.graphqlEndpoint });
  interface EnvelopedRoot {
    execute: (args: unknown) => unknown;
    subscribe: (args: unknown) => unknown;
  }
  useServer(
    {
      connectionInitWaitTimeout,
      onNext: (ctx) => {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > maxBufferedBytes)
          socket.close(tooFarBehindCloseCode, 'Subscriber too far behind');
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = gateway.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const document = parse(params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
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
