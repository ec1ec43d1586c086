/**
 * The embedded Kubernetes-compatible API server: HTTPS on loopback with a bearer token,
 * discovery, OpenAPI, and the resource verbs over an in-memory store made durable by a
 * write-ahead log (or kept in memory only when ephemeral).
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { emptyAdmissionChain, type AdmissionChain, type KubeObject } from './admission.ts';
import type { ApiContext } from './api-context.ts';
import { answerReview } from './auth/access-review.ts';
import { startAggregationController } from './auth/aggregation-controller.ts';
import { requestAttributes } from './auth/attributes.ts';
import { bearerAuthenticator } from './auth/authenticate.ts';
import { Authorizer } from './auth/authorizer.ts';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './auth/bootstrap-policy.ts';
import { forbiddenError } from './auth/forbidden.ts';
import { impersonate } from './auth/impersonation.ts';
import { rbacGroup, rbacKeys } from './auth/rbac-index.ts';
import { loadTokenFile } from './auth/token-file.ts';
import type { UserInfo } from './auth/user.ts';
import { crdResourceKey } from './builtin-kinds.ts';
import { CapiApiMismatchError } from './capi-api-mismatch.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { listen } from './listen.ts';
import { loadOrCreateCredentials, writeKubeconfig, type ServerCredentials } from './certs.ts';
import {
  aggregatedDiscovery,
  aggregatedDiscoveryType,
  wantsAggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupVersions,
  serverVersion,
} from './discovery.ts';
import { notFoundPath, methodNotAllowed, StatusError } from './errors.ts';
import { collectGarbage, finishNamespace, WorkQueue } from './gc.ts';
import { readBody, sendError, sendJson } from './http-io.ts';
import type { ConverterRegistry } from './conversion.ts';
import { ResourceRegistry } from './registry.ts';
import { decodeObject, type ApiRequest } from './request.ts';
import { handleResource } from './resource-handler.ts';
import { resolveRoute, type Route } from './route.ts';
import {
  builtinCrdsFor,
  builtinSchemaAnnotation,
  openApiV3Document,
  openApiV3Paths,
} from './schema-adapter.ts';
import { ObjectStore } from './store.ts';
import { ObjectLocks } from './object-locks.ts';
import { persist } from './write-pipeline.ts';
import { seedObjects, type SeedResult } from './seed-objects.ts';

export interface ApiServerOptions {
  host: string;
  /** 0 = pick a free port. */
  port: number;
  /** With port 0: the port to take if it is free (the one clients were last given). */
  preferredPort?: number;
  /** Credentials, kubeconfig and (unless ephemeral) the write-ahead log; locked while running. */
  dataDir: string;
  /** Keep objects in memory only (credentials and the kubeconfig still go to dataDir). */
  ephemeral?: boolean;
  capiApi?: 'v1beta2' | 'v1beta1';
  /** Converters for CRDs served in several versions (the CAPI conversion webhooks). */
  converters?: ConverterRegistry;
  /** Admission plugins to start with; more can be pushed onto `admission` at any time. */
  admission?: AdmissionChain;
  /** Watch history length (events); older resourceVersions get 410 Expired. */
  historySize?: number;
  /** Injected clock (tests). */
  now?: () => Date;
  /** How often watches that allow bookmarks get one (default 5 s). */
  bookmarkIntervalMs?: number;
  /**
   * Users besides the kubeconfig's admin: a file in kube-apiserver's `--token-auth-file` format
   * (`token,user,uid,"group1,group2"` per line), read at start. A bad file fails the start.
   */
  tokenAuthFile?: string;
  /** Where unexpected errors (answered with a bare 500 Status) are reported; default stderr. */
  onInternalError?: (description: string) => void;
  /**
   * Objects to write at start, through the write pipeline but without HTTP (seed-objects.ts),
   * before the server listens; what it refused is reported through `onSeeded`.
   */
  seedObjects?: KubeObject[];
  onSeeded?: (result: SeedResult) => void;
}

export interface ApiServer {
  url: string;
  kubeconfigPath: string;
  caPem: string;
  token: string;
  /** Mutable at runtime: the engine registers CAPI's webhook rules here. */
  admission: AdmissionChain;
  stop(): Promise<void>;
}

const defaultNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const anonymousPaths = new Set(['version', 'health']);

/** Where the server writes the kubeconfig clients use to reach it. */
export function kubeconfigFile(dataDir: string): string {
  return join(dataDir, 'embedded.kubeconfig');
}

function formatUrl(host: string, port: number): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/**
 * The address the kubeconfig names: the listen address, except that a wildcard is not an
 * address to connect to — clients on this machine use loopback.
 */
export function advertisedHost(host: string): string {
  return isWildcard(host) ? '127.0.0.1' : host;
}

/** What the serving certificate must cover besides loopback: every address clients may use. */
function servingNames(host: string): string[] {
  if (!isWildcard(host)) return [host];
  return Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((a) => !a.address.startsWith('fe80:'))
    .map((a) => a.address);
}

/** A CRD this build's table (or an older build's) created, as opposed to one a user applied. */
function isBuiltinCrd(crd: KubeObject): boolean {
  return (
    crd.metadata.annotations?.[builtinSchemaAnnotation] !== undefined ||
    JSON.stringify(crd['spec'] ?? {}).includes('built-in schema of the embedded cluster')
  );
}

function fingerprintOf(crd: KubeObject): string | undefined {
  return crd.metadata.annotations?.[builtinSchemaAnnotation];
}

function storageVersion(crd: KubeObject): string | undefined {
  return (crd['spec'] as { versions?: Array<{ name: string; storage?: boolean }> }).versions?.find(
    (v) => v.storage,
  )?.name;
}

function servedVersions(crd: KubeObject): string {
  const versions = (crd['spec'] as { versions?: Array<{ name: string; served?: boolean }> }).versions ?? [];
  return versions
    .filter((v) => v.served !== false)
    .map((v) => v.name)
    .sort()
    .join(',');
}

/** A data dir created for the other CAPI API version: its built-in CRDs store that version. */
function checkCapiApi(store: ObjectStore, capiApi: 'v1beta2' | 'v1beta1', dataDir: string): void {
  for (const crd of builtinCrdsFor(capiApi)) {
    const stored = store.get(crdResourceKey, '', crd.metadata.name ?? '')?.obj;
    if (!stored || !isBuiltinCrd(stored)) continue;
    const version = storageVersion(stored);
    if (version !== undefined && version !== storageVersion(crd))
      throw new CapiApiMismatchError(dataDir, version, capiApi);
  }
}

async function seed(ctx: ApiContext, capiApi: 'v1beta2' | 'v1beta1'): Promise<void> {
  const nsType = ctx.registry.lookup('', 'v1', 'namespaces')!;
  for (const name of defaultNamespaces) {
    if (ctx.store.get('namespaces', '', name)) continue;
    await persist(ctx, nsType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, undefined, {
      fieldValidation: 'Ignore',
      dryRun: false,
    });
  }
  const crdType = ctx.registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  for (const crd of builtinCrdsFor(capiApi)) {
    const stored = ctx.store.get(crdResourceKey, '', crd.metadata.name ?? '')?.obj;
    // A data dir from an older build keeps its built-in CRDs, brought up to the served versions
    // and schemas of this one (v1beta1 next to v1beta2, the generated CAPI schemas); a real CRD
    // applied over a built-in one stays.
    const upgrade =
      stored !== undefined &&
      isBuiltinCrd(stored) &&
      storageVersion(stored) === storageVersion(crd) &&
      (servedVersions(stored) !== servedVersions(crd) || fingerprintOf(stored) !== fingerprintOf(crd));
    if (stored && !upgrade) continue;
    const next = structuredClone(crd);
    if (stored) next.metadata.resourceVersion = stored.metadata.resourceVersion;
    await persist(ctx, crdType, next, stored, { fieldValidation: 'Ignore', dryRun: false });
  }
  await seedBootstrapPolicy(ctx);
}

/** kube-apiserver's default roles and bindings, created when absent (a user's edits stay). */
async function seedBootstrapPolicy(ctx: ApiContext): Promise<void> {
  const kinds: Array<[string, string, KubeObject[]]> = [
    ['clusterroles', rbacKeys.clusterRoles, bootstrapClusterRoles],
    ['clusterrolebindings', rbacKeys.clusterRoleBindings, bootstrapClusterRoleBindings],
  ];
  for (const [plural, key, objects] of kinds) {
    const rt = ctx.registry.lookup(rbacGroup, 'v1', plural)!;
    for (const obj of objects) {
      if (ctx.store.get(key, '', obj.metadata.name ?? '')) continue;
      await persist(ctx, rt, structuredClone(obj), undefined, { fieldValidation: 'Ignore', dryRun: false });
    }
  }
}

/** Work a crash may have cut short: terminating namespaces, pending GC of owners and dependents. */
function resumeBackgroundWork(ctx: ApiContext): void {
  for (const obj of ctx.store.everything()) {
    if (obj.metadata.deletionTimestamp) {
      if (obj.kind === 'Namespace') ctx.enqueueNamespace(obj.metadata.name ?? '');
      else ctx.enqueueGc(obj.metadata.uid ?? '');
    }
    for (const owner of obj.metadata.ownerReferences ?? []) {
      if (!ctx.store.locate(owner.uid)) ctx.enqueueGc(owner.uid);
    }
  }
}

function discoveryBody(ctx: ApiContext, route: Route, serverAddress: string): unknown {
  switch (route.type) {
    case 'root':
      return {
        paths: [
          '/api',
          '/api/v1',
          '/apis',
          ...groupVersions(ctx.registry)
            .filter((g) => g.includes('/'))
            .map((g) => `/apis/${g}`),
          '/healthz',
          '/livez',
          '/openapi/v3',
          '/readyz',
          '/version',
        ],
      };
    case 'version':
      return serverVersion;
    case 'api':
      return apiVersions(serverAddress);
    case 'apis':
      return apiGroupList(ctx.registry);
    case 'group':
      return apiGroup(ctx.registry, route.group);
    case 'groupVersion':
      return apiResourceList(ctx.registry, route.group, route.version);
    case 'openapiv3':
      return openApiV3Paths(groupVersions(ctx.registry));
    case 'openapiv3Doc': {
      const doc = openApiV3Document(route.groupVersion, ctx.registry.crds());
      if (!doc) throw notFoundPath();
      return doc;
    }
    default:
      throw notFoundPath();
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  // The lock comes first, ephemeral too: only its holder writes credentials and the kubeconfig.
  const lock = await lockDataDir(options.dataDir);
  try {
    return await startLocked(options, lock);
  } catch (error) {
    // Leave the data dir free for a retry in this process (or the next one).
    await lock.release();
    throw error;
  }
}

async function startLocked(options: ApiServerOptions, lock: DataDirLock): Promise<ApiServer> {
  const store = await ObjectStore.open(
    options.ephemeral ? undefined : join(options.dataDir, 'store.wal'),
    options.historySize ?? 20_000,
  );
  try {
    checkCapiApi(store, options.capiApi ?? 'v1beta2', options.dataDir);
  } catch (error) {
    await store.close();
    throw error;
  }
  let tokenUsers: Map<string, UserInfo>;
  try {
    tokenUsers = options.tokenAuthFile ? await loadTokenFile(options.tokenAuthFile) : new Map();
  } catch (error) {
    await store.close();
    throw error;
  }
  const credentials: ServerCredentials = await loadOrCreateCredentials(
    options.dataDir,
    servingNames(options.host),
  );
  const registry = new ResourceRegistry(options.converters);
  for (const crd of store.list(crdResourceKey)) registry.registerCrd(crd.obj);
  const admission = options.admission ?? emptyAdmissionChain();
  // The queues reach the context lazily: they are created right after it.
  const queues: { gc?: WorkQueue; ns?: WorkQueue } = {};
  const ctx: ApiContext = {
    store,
    registry,
    admission,
    now: options.now ?? (() => new Date()),
    locks: new ObjectLocks(),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5_000,
    enqueueGc: (uid) => queues.gc?.enqueue(uid),
    enqueueNamespace: (ns) => queues.ns?.enqueue(ns),
  };
  queues.gc = new WorkQueue((uid) => collectGarbage(ctx, uid));
  queues.ns = new WorkQueue((ns) => finishNamespace(ctx, ns));
  await seed(ctx, options.capiApi ?? 'v1beta2');
  if (options.seedObjects?.length) {
    const seeded = await seedObjects(ctx, options.seedObjects);
    options.onSeeded?.(seeded);
  }
  store.startWatchHistory();
  resumeBackgroundWork(ctx);
  const authenticator = bearerAuthenticator(credentials.token, tokenUsers);
  const authorizer = new Authorizer(store);
  ctx.authorizer = authorizer;
  const aggregation = startAggregationController(ctx, authorizer);

  const reportInternalError = (method: string | undefined, url: string | undefined, error: unknown) =>
    (options.onInternalError ?? ((d) => process.stderr.write(`embedded api server: ${d}\n`)))(
      `${method} ${url?.split('?')[0]}: ${error instanceof Error ? error.message : String(error)}`,
    );
  let serverAddress = '';
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: credentials.keyPem, cert: credentials.certPem }, (req, res) => {
    const closers: Array<() => void> = [];
    res.on('close', () => closers.forEach((fn) => fn()));
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'https://localhost');
        const route = resolveRoute(url.pathname, registry);
        const method = req.method ?? 'GET';
        let user: UserInfo | undefined;
        if (!anonymousPaths.has(route.type)) {
          const requester = authenticator.authenticate(req.headers.authorization);
          const asked = requestAttributes(requester, method, url.pathname, url.searchParams);
          user = impersonate(requester, req.headersDistinct, authorizer, asked);
          const attributes = { ...asked, user };
          const decision = authorizer.authorize(attributes);
          if (!decision.allowed) throw forbiddenError(attributes, decision.reason);
        }
        const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)
          ? await readBody(req)
          : Buffer.alloc(0);
        if (route.type === 'resource' && route.rt.review) {
          if (method !== 'POST' || route.name !== undefined) throw methodNotAllowed(method);
          const review = decodeObject({ method, query: url.searchParams, headers: req.headers, body });
          sendJson(res, 201, answerReview(route.rt.kind, review, route.namespace, user!, authorizer));
          return;
        }
        if (route.type === 'resource') {
          const request: ApiRequest = {
            method,
            query: url.searchParams,
            headers: req.headers,
            body,
            ...(user ? { user } : {}),
          };
          await handleResource(ctx, route, request, { res, onClose: (fn) => closers.push(fn) });
          return;
        }
        if (route.type === 'health') {
          if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method);
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('ok');
          return;
        }
        if (route.type !== 'notFound' && method !== 'GET') throw methodNotAllowed(method);
        if ((route.type === 'api' || route.type === 'apis') && wantsAggregatedDiscovery(req.headers.accept)) {
          sendJson(res, 200, aggregatedDiscovery(registry, route.type === 'api'), {
            'Content-Type': aggregatedDiscoveryType,
          });
          return;
        }
        sendJson(res, 200, discoveryBody(ctx, route, serverAddress));
      } catch (error) {
        if (!(error instanceof StatusError)) reportInternalError(req.method, req.url, error);
        sendError(res, error);
      }
    })();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  try {
    await listen(server, options.host, options.port, options.preferredPort);
  } catch (error) {
    await queues.gc?.stop();
    await queues.ns?.stop();
    await store.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = advertisedHost(options.host);
  serverAddress = `${host}:${port}`;
  const url = formatUrl(host, port);
  const kubeconfigPath = kubeconfigFile(options.dataDir);
  await writeKubeconfig(kubeconfigPath, url, credentials);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await aggregation();
      await queues.gc?.stop();
      await queues.ns?.stop();
      await store.close();
      await lock.release();
    })());
  return { url, kubeconfigPath, caPem: credentials.caPem, token: credentials.token, admission, stop };
}

export type { KubeObject };
