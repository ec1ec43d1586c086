import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Fleet } from '../../capi/fleet.ts';
import type { ManagementClusterCache } from '../../capi/management-cluster-cache.ts';
import type { ObjectAddress } from '../../capi/views.ts';
import { exponentialBackoff } from '../../k8s/backoff.ts';
import type { Result } from '../../k8s/domain-error.ts';
import type { KubeWriter } from '../../k8s/kube-writer.ts';
import { OperationDriver } from './operation-driver.ts';
import { ensureOperationCrd, operationKind } from './operation-crd.ts';
import type { OperationRecord } from './operation-record.ts';
import { OperationRegistry } from './operation-registry.ts';
import { OperationStore } from './operation-store.ts';
import type { OperationsAccess, OperationType, StartOperationRequest } from './operation-type.ts';

export interface OperationsOptions {
  /** The operation types this gateway drives. */
  types: readonly OperationType[];
  /** This replica's name in the Leases (default: host, pid and a random suffix). */
  identity?: string;
  /** Where each management cluster's driver Lease lives (default kube-system, as controllers'). */
  leaseNamespace?: string;
  leaseName?: string;
  /** Default 15 s; a dead driver's operations wait at most this long for another replica. */
  leaseDurationMs?: number;
  renewIntervalMs?: number;
  /** Default 30 s. */
  resyncIntervalMs?: number;
  /** Install the Operation CRD when missing (default true). */
  installCrd?: boolean;
  now?: () => Date;
  log?: (message: string) => void;
}

export const defaultLease = { namespace: 'kube-system', name: 'capi-gateway-operations' } as const;

function defaultIdentity(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * The operations of every management cluster: their stores (what queries read), a driver per
 * management cluster (started once the Operation CRD is there), and the entry points
 * mutations use to record a new operation or request a cancel.
 */
export class FleetOperations implements OperationsAccess {
  readonly identity: string;
  readonly registry: OperationRegistry;
  private readonly stores = new Map<string, OperationStore>();
  private readonly drivers = new Map<string, OperationDriver>();
  private readonly caches = new Map<string, ManagementClusterCache>();
  private readonly installs: Array<{ cancel(): void }> = [];
  private stopped = true;

  constructor(
    fleet: Fleet,
    private readonly options: OperationsOptions,
  ) {
    this.identity = options.identity ?? defaultIdentity();
    this.registry = new OperationRegistry(options.types);
    for (const cache of fleet.caches) {
      const store = new OperationStore(cache);
      this.caches.set(cache.name, cache);
      this.stores.set(cache.name, store);
      this.drivers.set(
        cache.name,
        new OperationDriver(cache, store, this.registry, this, fleet.reader, {
          identity: this.identity,
          leaseNamespace: options.leaseNamespace ?? defaultLease.namespace,
          leaseName: options.leaseName ?? defaultLease.name,
          leaseDurationMs: options.leaseDurationMs ?? 15_000,
          resyncIntervalMs: options.resyncIntervalMs ?? 30_000,
          ...(options.renewIntervalMs ? { renewIntervalMs: options.renewIntervalMs } : {}),
          ...(options.now ? { now: options.now } : {}),
          ...(options.log ? { log: options.log } : {}),
        }),
      );
      // Any operation changing may be a child a parent in another management cluster waits for.
      store.onChange(() => {
        for (const driver of this.drivers.values()) driver.wake();
      });
    }
  }

  /** Installs the CRD where missing (retrying while a management cluster is away), then drives. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const [name, driver] of this.drivers) {
      if (this.options.installCrd === false) {
        driver.start();
        continue;
      }
      this.installs.push(this.untilInstalled(this.caches.get(name)!.connection.writer, () => driver.start()));
    }
  }

  private untilInstalled(writer: KubeWriter, then: () => void): { cancel(): void } {
    const backoff = exponentialBackoff(500, 30_000);
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    let attempts = 0;
    const tryOnce = async () => {
      const installed = await ensureOperationCrd(writer);
      if (cancelled) return;
      if (installed.ok) {
        if (installed.value) this.log(installed.value);
        return then();
      }
      // Said once: operations wait for it, and the management cluster's own errors show on queries.
      if (attempts++ === 0)
        this.log(`cannot install the Operation CRD yet (retrying): ${installed.error.message}`);
      timer = setTimeout(() => void tryOnce(), backoff.next());
    };
    void tryOnce();
    return {
      cancel: () => {
        cancelled = true;
        clearTimeout(timer);
      },
    };
  }

  private log(message: string): void {
    (this.options.log ?? ((m: string) => process.stderr.write(`capi-gateway: ${m}\n`)))(message);
  }

  async stop(options: { release?: boolean } = { release: true }): Promise<void> {
    this.stopped = true;
    for (const install of this.installs.splice(0)) install.cancel();
    await Promise.all([...this.drivers.values()].map((d) => d.stop(options)));
  }

  driver(managementCluster: string): OperationDriver | undefined {
    return this.drivers.get(managementCluster);
  }

  store(managementCluster: string): OperationStore | undefined {
    return this.stores.get(managementCluster);
  }

  cache(managementCluster: string): ManagementClusterCache | undefined {
    return this.caches.get(managementCluster);
  }

  get(address: ObjectAddress): OperationRecord | null {
    if (address.group !== operationKind.group || address.kind !== operationKind.kind) return null;
    return this.stores.get(address.managementCluster)?.get(address.namespace, address.name) ?? null;
  }

  /** Every operation known, newest first. */
  list(): OperationRecord[] {
    const all = [...this.stores.values()].flatMap((s) => s.list());
    return all.sort((a, b) => {
      const at = a.createdAt ?? '';
      const bt = b.createdAt ?? '';
      if (at !== bt) return at < bt ? 1 : -1;
      const ak = `${a.address.managementCluster}/${a.address.namespace}/${a.address.name}`;
      const bk = `${b.address.managementCluster}/${b.address.namespace}/${b.address.name}`;
      return ak < bk ? -1 : 1;
    });
  }

  /** Records a new operation; its management cluster's driver runs it from there. */
  async startOperation(request: StartOperationRequest): Promise<Result<OperationRecord>> {
    const store = this.stores.get(request.managementCluster);
    if (!store)
      return {
        ok: false,
        error: { code: 'NOT_FOUND', message: `no management cluster named '${request.managementCluster}'` },
      };
    return store.create(request);
  }

  /** Asks the driver to stop the operation at its next pass (between steps, never mid-write). */
  async requestCancel(operation: OperationRecord): Promise<Result<OperationRecord>> {
    const store = this.stores.get(operation.address.managementCluster);
    if (!store) return { ok: false, error: { code: 'NOT_FOUND', message: 'the operation is not known' } };
    return store.requestCancel(operation);
  }
}
