import { toDomainError } from './api-errors.ts';
import type { DomainErrorCode, Result } from './domain-error.ts';
import type {
  KubeTransport,
  ListOptions,
  ResourceTarget,
  WatchEvent,
  WatchHandle,
} from './kube-transport.ts';
import { kubeWriter, type KubeWriter } from './kube-writer.ts';
import { accessReviewer, type ResourceAttributes } from './access-review.ts';
import { impersonating, type Impersonation } from './impersonation.ts';
import type { KubeRequester } from './kube-request.ts';

export interface LoadedTransport {
  server: string;
  transport: KubeTransport;
  writer: KubeWriter;
  /** The raw requests under `writer` (impersonated writes and access reviews go through it). */
  request?: KubeRequester;
  /** Changes when the kubeconfig does (server, credentials). */
  fingerprint: string;
}

/**
 * A transport that re-reads its kubeconfig when the API server cannot be reached or rejects
 * the credentials: a management cluster that comes back on another address (an embedded one
 * restarted without --port) or with rotated credentials is found again without a restart.
 */
export class ReloadingTransport implements KubeTransport, KubeWriter, UserAccess {
  private lastReload = 0;

  constructor(
    private current: LoadedTransport,
    private readonly load: () => Result<LoadedTransport>,
    private readonly minIntervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get server(): string {
    return this.current.server;
  }

  private maybeReload(err: unknown): void {
    if (err) this.reloadOn(toDomainError(err, 'reload').code);
  }

  private reloadOn(code: DomainErrorCode): void {
    if (code !== 'UNAVAILABLE' && code !== 'UNAUTHORIZED') return;
    if (this.now() - this.lastReload < this.minIntervalMs) return;
    this.lastReload = this.now();
    const loaded = this.load();
    if (loaded.ok && loaded.value.fingerprint !== this.current.fingerprint) this.current = loaded.value;
  }

  private async guarded<T>(call: (transport: KubeTransport) => Promise<T>): Promise<T> {
    try {
      return await call(this.current.transport);
    } catch (err) {
      this.maybeReload(err);
      throw err;
    }
  }

  list(target: ResourceTarget, options: ListOptions) {
    return this.guarded((t) => t.list(target, options));
  }

  get(target: ResourceTarget, namespace: string | undefined, name: string) {
    return this.guarded((t) => t.get(target, namespace, name));
  }

  watch(
    target: ResourceTarget,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onDone: (err: unknown) => void,
  ): Promise<WatchHandle> {
    return this.guarded((t) =>
      t.watch(target, resourceVersion, onEvent, (err) => {
        this.maybeReload(err);
        onDone(err);
      }),
    );
  }

  /** Writes answer errors as values: a reload is decided on their code. */
  private async written<T>(call: (writer: KubeWriter) => Promise<Result<T>>): Promise<Result<T>> {
    const result = await call(this.current.writer);
    if (!result.ok) this.reloadOn(result.error.code);
    return result;
  }

  read(...args: Parameters<KubeWriter['read']>) {
    return this.written((w) => w.read(...args));
  }

  create(...args: Parameters<KubeWriter['create']>) {
    return this.written((w) => w.create(...args));
  }

  apply(...args: Parameters<KubeWriter['apply']>) {
    return this.written((w) => w.apply(...args));
  }

  mergePatch(...args: Parameters<KubeWriter['mergePatch']>) {
    return this.written((w) => w.mergePatch(...args));
  }

  jsonPatch(...args: Parameters<KubeWriter['jsonPatch']>) {
    return this.written((w) => w.jsonPatch(...args));
  }

  delete(...args: Parameters<KubeWriter['delete']>) {
    return this.written((w) => w.delete(...args));
  }

  readMetadata(...args: Parameters<KubeWriter['readMetadata']>) {
    return this.written((w) => w.readMetadata(...args));
  }

  getScale(...args: Parameters<KubeWriter['getScale']>) {
    return this.written((w) => w.getScale(...args));
  }

  replaceScale(...args: Parameters<KubeWriter['replaceScale']>) {
    return this.written((w) => w.replaceScale(...args));
  }

  /** The current kubeconfig's requests, or a refusal when the transport was built without them. */
  private requester(): KubeRequester {
    return (
      this.current.request ??
      (() => Promise.reject(Object.assign(new Error('no request path'), { code: 'ENOTFOUND' })))
    );
  }

  /** Writes as `who`; each call uses the kubeconfig current at that moment. */
  writerAs(who: Impersonation): KubeWriter {
    return kubeWriter((req) => impersonating(this.requester(), who)(req));
  }

  reviewAccess(who: Impersonation, attributes: ResourceAttributes) {
    return accessReviewer(this.requester())(who, attributes);
  }
}

/** What acting for a user takes: writes impersonating them, and the API server's access reviews. */
export interface UserAccess {
  writerAs(who: Impersonation): KubeWriter;
  reviewAccess(who: Impersonation, attributes: ResourceAttributes): Promise<Result<boolean>>;
}
