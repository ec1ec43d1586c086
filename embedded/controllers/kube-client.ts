/**
 * The engine's thin client of its API server, over the lower Kubernetes layer the gateway uses
 * (src/k8s: one transport, one keep-alive agent, one error mapping): client-node over HTTPS, as
 * real controllers talk to theirs. Every call returns a result value; callers decide what a 404
 * or 409 means.
 */
import type { V1Secret } from '@kubernetes/client-node';
import type { DomainError, DomainErrorCode, Result } from '../../src/k8s/domain-error.ts';
import {
  clientNodeTransport,
  type KubeTransport,
  type ResourceTarget,
} from '../../src/k8s/kube-transport.ts';
import { clientNodeWriter, type KubeWriter } from '../../src/k8s/kube-writer.ts';
import { loadKubeConfig } from '../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../apiserver/admission.ts';

export interface ResourceType extends ResourceTarget {
  kind: string;
}

/** `code` is the HTTP status the error stands for (controllers branch on 404 and 409). */
export type KubeResult<T> =
  { ok: true; value: T } | { ok: false; code: number; message: string; error: DomainError };

const statusOf: Record<DomainErrorCode, number> = {
  VALIDATION: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  GONE: 410,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

function toKubeResult<T>(result: Result<T>): KubeResult<T> {
  if (result.ok) return result;
  return { ok: false, code: statusOf[result.error.code], message: result.error.message, error: result.error };
}

const secrets: ResourceTarget = { group: '', version: 'v1', plural: 'secrets', namespaced: true };

export class KubeClient {
  /** Lists and watches (the engine's informers run src/k8s's list-watch over it). */
  readonly transport: KubeTransport;
  private readonly writer: KubeWriter;

  constructor(kubeconfigPath: string) {
    const loaded = loadKubeConfig(kubeconfigPath);
    if (!loaded.ok) throw new Error(loaded.error.message);
    this.transport = clientNodeTransport(loaded.value.config);
    this.writer = clientNodeWriter(loaded.value.config);
  }

  async create(type: ResourceType, object: KubeObject): Promise<KubeResult<KubeObject>> {
    return toKubeResult(await this.writer.create(type, object));
  }

  /** JSON merge patch; include `metadata.resourceVersion` in the patch for optimistic concurrency. */
  async patch(
    type: ResourceType,
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
    subresource?: 'status',
  ): Promise<KubeResult<KubeObject>> {
    const key = { namespace: type.namespaced ? namespace : undefined, name };
    return toKubeResult(await this.writer.mergePatch(type, key, patch, { subresource }));
  }

  async delete(type: ResourceType, namespace: string, name: string): Promise<KubeResult<unknown>> {
    const key = { namespace: type.namespaced ? namespace : undefined, name };
    return toKubeResult(await this.writer.delete(type, key, { propagationPolicy: 'Background' }));
  }

  async createSecret(secret: V1Secret): Promise<KubeResult<unknown>> {
    const namespace = secret.metadata?.namespace ?? 'default';
    const object = {
      ...secret,
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { ...secret.metadata, namespace },
    } as KubeObject;
    return toKubeResult(await this.writer.create(secrets, object));
  }

  async deleteSecret(namespace: string, name: string): Promise<KubeResult<unknown>> {
    return toKubeResult(await this.writer.delete(secrets, { namespace, name }));
  }
}
