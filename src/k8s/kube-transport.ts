import {
  CustomObjectsApi,
  Watch,
  Observable,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type KubeConfig,
} from '@kubernetes/client-node';
import { isKubeObject, type KubeObject } from './kube-object.ts';
import { collectionPath } from './resource-path.ts';
import { reuseConnections } from './shared-agent.ts';

/** Where a kind is served: one group/version/plural. */
export interface ResourceTarget {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  limit?: number;
  continueToken?: string;
}

export interface WatchEvent {
  type: string;
  object: unknown;
}

export interface WatchHandle {
  abort(): void;
}

/** The few API calls the caches and readers make; tests can substitute their own. */
export interface KubeTransport {
  list(target: ResourceTarget, options: ListOptions): Promise<ListPage>;
  get(target: ResourceTarget, namespace: string | undefined, name: string): Promise<KubeObject>;
  watch(
    target: ResourceTarget,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onDone: (err: unknown) => void,
  ): Promise<WatchHandle>;
}

function toPage(body: unknown): ListPage {
  const list = body as { items?: unknown[]; metadata?: { resourceVersion?: string; continue?: string } };
  return {
    items: (list.items ?? []).filter(isKubeObject),
    resourceVersion: list.metadata?.resourceVersion ?? '',
    continueToken: list.metadata?.continue || undefined,
  };
}

export interface ClientNodeTransportOptions {
  /** How long the server keeps each watch open; tests shorten it to see renewals. */
  watchTimeoutSeconds?: () => number;
  /** How long one list or get may take before it fails (and the list+watch loop retries). */
  requestTimeoutMs?: number;
}

/** A page of 500 objects takes well under a second; a minute means the request is stuck. */
const defaultRequestTimeoutMs = 60_000;

/**
 * client-node's list and get have no deadline: a request the server never answers would keep a
 * kind's cache waiting, and the gateway's shutdown with it. Each call gets an abort signal, and
 * an abort is reported as the timeout it is.
 */
async function withDeadline<T>(
  timeoutMs: number,
  call: (options: ConfigurationOptions) => Promise<T>,
): Promise<T> {
  const signal = AbortSignal.timeout(timeoutMs);
  const deadline: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (context) => new Observable(Promise.resolve(context)),
  };
  try {
    return await call({ middleware: [deadline], middlewareMergeStrategy: 'append' });
  } catch (err) {
    if (!signal.aborted) throw err;
    throw Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), {
      code: 'ETIMEDOUT',
      cause: err,
    });
  }
}

/**
 * Like client-go: the server ends each watch after 5-10 minutes, so a connection that died
 * silently (no RST) is noticed and re-established.
 */
const defaultWatchTimeoutSeconds = (): number => 300 + Math.floor(Math.random() * 300);

/** client-node backed transport for custom resources (every CAPI and provider kind is one). */
export function clientNodeTransport(
  config: KubeConfig,
  options: ClientNodeTransportOptions = {},
): KubeTransport {
  const watchTimeoutSeconds = options.watchTimeoutSeconds ?? defaultWatchTimeoutSeconds;
  const timeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  reuseConnections(config);
  const custom = config.makeApiClient(CustomObjectsApi);
  const watcher = new Watch(config);
  return {
    async list(target, options) {
      const common = {
        group: target.group,
        version: target.version,
        plural: target.plural,
        labelSelector: options.labelSelector,
        limit: options.limit,
        _continue: options.continueToken,
      };
      const body: unknown = await withDeadline(timeoutMs, (deadline) =>
        options.namespace
          ? custom.listNamespacedCustomObject({ ...common, namespace: options.namespace }, deadline)
          : custom.listClusterCustomObject(common, deadline),
      );
      return toPage(body);
    },
    async get(target, namespace, name) {
      const common = { group: target.group, version: target.version, plural: target.plural, name };
      const body: unknown = await withDeadline(timeoutMs, (deadline) =>
        target.namespaced && namespace
          ? custom.getNamespacedCustomObject({ ...common, namespace }, deadline)
          : custom.getClusterCustomObject(common, deadline),
      );
      if (!isKubeObject(body)) throw Object.assign(new Error('not an object'), { statusCode: 500 });
      return body;
    },
    async watch(target, resourceVersion, onEvent, onDone) {
      const timeoutSeconds = watchTimeoutSeconds();
      const controller = await watcher.watch(
        collectionPath(target),
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        (type: string, object: unknown) => onEvent({ type, object }),
        onDone,
      );
      return { abort: () => controller.abort() };
    },
  };
}
