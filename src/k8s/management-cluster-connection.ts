import { exponentialBackoff } from './backoff.ts';
import { CrdRegistry, crdInfoOf, targetOf, type CrdInfo } from './crd-registry.ts';
import type { DomainError, Result } from './domain-error.ts';
import { KindCache, type KindCacheSpec } from './kind-cache.ts';
import { groupKindKey, type GroupKind } from './kube-object.ts';
import type { KubeTransport, ResourceTarget } from './kube-transport.ts';
import { unavailableWriter, type KubeWriter } from './kube-writer.ts';
import { ResilientListWatch, type ListWatchStatus } from './list-watch.ts';
import type { ResourceAttributes } from './access-review.ts';
import type { Impersonation } from './impersonation.ts';
import type { UserAccess } from './reloading-transport.ts';

export interface SyncState {
  reachable: boolean;
  synced: boolean;
  lastSyncTime: Date | null;
  error: DomainError | null;
}

export interface ConnectionOptions {
  now?: () => Date;
  pageSize?: number;
  /** First retry delay after an error; doubles up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** The write verbs; without one (a read-only test transport) every write answers UNAVAILABLE. */
  writer?: KubeWriter;
  /** Acting for a user (impersonated writes, access reviews); without it both answer UNAVAILABLE. */
  access?: UserAccess;
}

const crdTarget: ResourceTarget = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
};

/**
 * Everything the gateway keeps for one management cluster: its CRDs (to find versions and
 * contracts) and one list+watch per kind asked for. Kinds whose CRD is not installed yet
 * wait and start by themselves when it appears.
 */
export class ManagementClusterConnection {
  readonly crds = new CrdRegistry();
  private readonly kinds = new Map<string, { cache: KindCache<unknown>; loop?: ResilientListWatch }>();
  private readonly crdLoop: ResilientListWatch;
  private readonly listeners = new Set<() => void>();
  private started = false;
  /** Writes to this management cluster (the same connection and credentials as its watches). */
  readonly writer: KubeWriter;

  constructor(
    readonly name: string,
    private readonly serverOf: string | (() => string),
    readonly transport: KubeTransport,
    private readonly options: ConnectionOptions = {},
  ) {
    this.writer = options.writer ?? unavailableWriter(`management cluster '${name}' has no write path`);
    this.crdLoop = new ResilientListWatch(
      transport,
      crdTarget,
      {
        reset: (items) => {
          const before = new Map([...this.crds.all()].map((info) => [groupKindKey(info), info]));
          this.crds.clear();
          for (const item of items) this.crds.upsert(item);
          for (const info of this.crds.all()) this.startKind(info);
          for (const [key, info] of before) if (!this.crds.get(info)) this.stopKind(key);
        },
        upsert: (object) => {
          const info = this.crds.upsert(object);
          if (info) this.startKind(info);
        },
        remove: (object) => {
          const info = crdInfoOf(object);
          this.crds.remove(object);
          if (info) this.stopKind(groupKindKey(info));
        },
      },
      this.loopOptions(),
    );
  }

  /** The API server URL (may change when the kubeconfig is rewritten). */
  get server(): string {
    return typeof this.serverOf === 'string' ? this.serverOf : this.serverOf();
  }

  private loopOptions() {
    return {
      pageSize: this.options.pageSize,
      now: this.options.now,
      backoff: exponentialBackoff(this.options.initialBackoffMs ?? 250, this.options.maxBackoffMs ?? 10_000),
      onStatus: () => this.notify(),
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.crdLoop.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([this.crdLoop.stop(), ...[...this.kinds.values()].map((k) => k.loop?.stop())]);
  }

  /** The cache of a kind, watched from now on (or as soon as its CRD is installed). */
  watch<V>(gk: GroupKind, spec: KindCacheSpec<V>): KindCache<V> {
    const key = groupKindKey(gk);
    const existing = this.kinds.get(key);
    if (existing) return existing.cache as KindCache<V>;
    const cache = new KindCache(spec);
    this.kinds.set(key, { cache: cache as KindCache<unknown> });
    const info = this.crds.get(gk);
    if (info) this.startKind(info);
    return cache;
  }

  crdsListed(): boolean {
    return this.crdLoop.status.listed;
  }

  kindCache(gk: GroupKind): KindCache<unknown> | undefined {
    return this.kinds.get(groupKindKey(gk))?.cache;
  }

  crd(gk: GroupKind): CrdInfo | undefined {
    return this.crds.get(gk);
  }

  private startKind(info: CrdInfo): void {
    const entry = this.kinds.get(groupKindKey(info));
    if (!entry || !this.started) return;
    if (entry.loop && entry.cache.crd?.version === info.version) return;
    void entry.loop?.stop();
    entry.cache.crd = info;
    const loop = new ResilientListWatch(this.transport, targetOf(info), entry.cache, {
      ...this.loopOptions(),
      onStatus: (status: ListWatchStatus) => {
        entry.cache.status = { state: 'watching', ...status };
        this.notify();
      },
    });
    entry.cache.status = { state: 'watching', listed: false, healthy: false };
    entry.loop = loop;
    loop.start();
  }

  /** A kind whose CRD was deleted: its objects are gone with it; wait for the CRD to come back. */
  private stopKind(key: string): void {
    const entry = this.kinds.get(key);
    if (!entry) return;
    void entry.loop?.stop();
    entry.loop = undefined;
    entry.cache.crd = undefined;
    entry.cache.reset([]);
    entry.cache.status = { state: 'waiting-for-crd' };
    this.notify();
  }

  /**
   * Reachable: the CRD watch is healthy and no list/watch is failing. A kind still making its
   * first list (one found a moment ago through a ref) is not a failure: until it lists, the
   * management cluster is reachable but not synced. Synced: additionally, every kind has listed.
   */
  syncState(): SyncState {
    const crd = this.crdLoop.status;
    const kinds: ListWatchStatus[] = [];
    for (const { cache } of this.kinds.values())
      if (cache.status.state === 'watching') kinds.push(cache.status);
    // A kind answering 404 (CRD just created or being deleted) says nothing about reachability.
    const failingKinds = kinds.filter((s) => !s.healthy && s.error && s.error.code !== 'NOT_FOUND');
    const error = (crd.healthy ? undefined : crd.error) ?? failingKinds[0]?.error ?? null;
    const reachable = crd.healthy && failingKinds.length === 0;
    const synced = reachable && kinds.every((s) => s.listed || s.error?.code === 'NOT_FOUND');
    const statuses = [crd, ...kinds];
    const times = statuses.map((s) => s.lastSyncTime?.getTime() ?? 0);
    const last = Math.max(...times);
    return {
      reachable,
      synced,
      lastSyncTime: last > 0 ? new Date(last) : null,
      error: reachable ? null : error,
    };
  }

  /** The write verbs as `who` (the API server authorizes them), or the gateway's own without one. */
  writerAs(who: Impersonation | undefined): KubeWriter {
    if (!who) return this.writer;
    return this.options.access?.writerAs(who) ?? unavailableWriter(this.noAccess());
  }

  /** The API server's SubjectAccessReview answer: may `who` do what `attributes` say? */
  reviewAccess(who: Impersonation, attributes: ResourceAttributes): Promise<Result<boolean>> {
    if (!this.options.access)
      return Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: this.noAccess() } });
    return this.options.access.reviewAccess(who, attributes);
  }

  private noAccess(): string {
    return `management cluster '${this.name}' cannot act for users (no request path)`;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves once synced, or with false after `timeoutMs`. */
  whenSynced(timeoutMs: number): Promise<boolean> {
    if (this.syncState().synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.onChange(() => {
        if (!this.syncState().synced) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }
}
