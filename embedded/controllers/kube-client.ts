/**
 * The engine's thin client of its API server: client-node over HTTPS, as real controllers
 * talk to theirs. Every call returns a result value; callers decide what a 404 or 409 means.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  type V1Secret,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { reuseConnections } from '../../src/k8s/shared-agent.ts';
import type { KubeObject } from '../apiserver/admission.ts';
import { isRecord } from './object-fields.ts';

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export type KubeResult<T> = { ok: true; value: T } | { ok: false; code: number; message: string };

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchHandle {
  stop(): void;
}

function failure(error: unknown): { ok: false; code: number; message: string } {
  if (isRecord(error) && typeof error.code === 'number') {
    const body = error.body;
    let message = error instanceof Error ? error.message : `HTTP ${error.code}`;
    if (typeof body === 'string') {
      try {
        const parsed: unknown = JSON.parse(body);
        if (isRecord(parsed) && typeof parsed.message === 'string') message = parsed.message;
      } catch {
        // a non-JSON body keeps the exception's message
      }
    } else if (isRecord(body) && typeof body.message === 'string') {
      message = body.message;
    }
    return { ok: false, code: error.code, message };
  }
  return { ok: false, code: 0, message: error instanceof Error ? error.message : String(error) };
}

async function attempt<T>(call: () => Promise<T>): Promise<KubeResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return failure(error);
  }
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class KubeClient {
  private readonly config: KubeConfig;
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  private readonly watcher: Watch;

  constructor(kubeconfigPath: string) {
    this.config = new KubeConfig();
    this.config.loadFromFile(kubeconfigPath);
    reuseConnections(this.config);
    this.custom = this.config.makeApiClient(CustomObjectsApi);
    this.core = this.config.makeApiClient(CoreV1Api);
    this.watcher = new Watch(this.config);
  }

  list(type: ResourceType): Promise<KubeResult<{ items: KubeObject[]; resourceVersion: string }>> {
    return attempt(async () => {
      const body: unknown = await this.custom.listClusterCustomObject({
        group: type.group,
        version: type.version,
        plural: type.plural,
      });
      const items = isRecord(body) && Array.isArray(body.items) ? (body.items as KubeObject[]) : [];
      const resourceVersion =
        isRecord(body) && isRecord(body.metadata) && typeof body.metadata.resourceVersion === 'string'
          ? body.metadata.resourceVersion
          : '';
      // Lists carry no apiVersion/kind per item.
      for (const item of items) {
        item.apiVersion = `${type.group}/${type.version}`;
        item.kind = type.kind;
      }
      return { items, resourceVersion };
    });
  }

  async watch(
    type: ResourceType,
    resourceVersion: string,
    onEvent: (event: WatchEventType, object: KubeObject) => void,
    onDone: (error: unknown) => void,
  ): Promise<WatchHandle> {
    const path = `/apis/${type.group}/${type.version}/${type.plural}`;
    const controller = await this.watcher.watch(
      path,
      { resourceVersion, allowWatchBookmarks: true },
      (phase, object: unknown) => {
        if (isRecord(object)) onEvent(phase as WatchEventType, object as KubeObject);
      },
      onDone,
    );
    return { stop: () => controller.abort() };
  }

  create(type: ResourceType, object: KubeObject): Promise<KubeResult<KubeObject>> {
    const namespace = object.metadata.namespace ?? '';
    return attempt(async () => {
      const body = type.namespaced
        ? await this.custom.createNamespacedCustomObject({ ...this.address(type), namespace, body: object })
        : await this.custom.createClusterCustomObject({ ...this.address(type), body: object });
      return body as KubeObject;
    });
  }

  /** JSON merge patch; include `metadata.resourceVersion` in the patch for optimistic concurrency. */
  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
    subresource?: 'status',
  ): Promise<KubeResult<KubeObject>> {
    return attempt(async () => {
      const request = { ...this.address(type), namespace, name, body: patch };
      if (!type.namespaced) {
        const clusterRequest = { ...this.address(type), name, body: patch };
        return (await (subresource === 'status'
          ? this.custom.patchClusterCustomObjectStatus(clusterRequest, mergePatch)
          : this.custom.patchClusterCustomObject(clusterRequest, mergePatch))) as KubeObject;
      }
      return (await (subresource === 'status'
        ? this.custom.patchNamespacedCustomObjectStatus(request, mergePatch)
        : this.custom.patchNamespacedCustomObject(request, mergePatch))) as KubeObject;
    });
  }

  delete(type: ResourceType, namespace: string, name: string): Promise<KubeResult<unknown>> {
    return attempt(() =>
      type.namespaced
        ? this.custom.deleteNamespacedCustomObject({
            ...this.address(type),
            namespace,
            name,
            propagationPolicy: 'Background',
          })
        : this.custom.deleteClusterCustomObject({
            ...this.address(type),
            name,
            propagationPolicy: 'Background',
          }),
    );
  }

  createSecret(secret: V1Secret): Promise<KubeResult<unknown>> {
    return attempt(() =>
      this.core.createNamespacedSecret({
        namespace: secret.metadata?.namespace ?? 'default',
        body: { apiVersion: 'v1', kind: 'Secret', ...secret },
      }),
    );
  }

  deleteSecret(namespace: string, name: string): Promise<KubeResult<unknown>> {
    return attempt(() => this.core.deleteNamespacedSecret({ namespace, name }));
  }

  private address(type: ResourceType): { group: string; version: string; plural: string } {
    return { group: type.group, version: type.version, plural: type.plural };
  }
}
