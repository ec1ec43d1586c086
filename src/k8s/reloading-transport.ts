import { toDomainError } from './api-errors.ts';
import type { Result } from './domain-error.ts';
import type {
  KubeTransport,
  ListOptions,
  ResourceTarget,
  WatchEvent,
  WatchHandle,
} from './kube-transport.ts';

export interface LoadedTransport {
  server: string;
  transport: KubeTransport;
  /** Changes when the kubeconfig does (server, credentials). */
  fingerprint: string;
}

/**
 * A transport that re-reads its kubeconfig when the API server cannot be reached or rejects
 * the credentials: a management cluster that comes back on another address (an embedded one
 * restarted without --port) or with rotated credentials is found again without a restart.
 */
export class ReloadingTransport implements KubeTransport {
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
    if (!err) return;
    const code = toDomainError(err, 'reload').code;
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
}
