import { isDeepStrictEqual } from 'node:util';
import type { Result } from '../../k8s/domain-error.ts';
import type { KubeObject } from '../../k8s/kube-object.ts';
import type { ResourceTarget } from '../../k8s/kube-transport.ts';
import type { KubeWriter } from '../../k8s/kube-writer.ts';

const leaseTarget: ResourceTarget = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  namespaced: true,
};

export interface LeaseOptions {
  namespace: string;
  name: string;
  /** This replica's identity (holderIdentity). */
  identity: string;
  /** How long a holder that stopped renewing keeps the lease. */
  leaseDurationMs: number;
  now?: () => Date;
  /** Monotonic milliseconds, for measuring how long a record stood still (default performance.now). */
  monotonicMs?: () => number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** RFC 3339 with microseconds, as the Lease's MicroTime fields are written. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Leader election over one coordination.k8s.io Lease, as client-go does it: the holder renews
 * the record; a contender takes over once the record has not changed for the lease duration,
 * measured on its own clock from when it first saw that record (no trust in clock skew).
 * Every write carries the resourceVersion it was based on, so two contenders never both win.
 */
export class LeaseElector {
  private observed: { spec: LeaseSpec; sinceMs: number } | null = null;
  private leading = false;

  constructor(
    private readonly writer: KubeWriter,
    private readonly options: LeaseOptions,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  get identity(): string {
    return this.options.identity;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private monotonic(): number {
    return this.options.monotonicMs?.() ?? performance.now();
  }

  private spec(holding: LeaseSpec | null): LeaseSpec {
    const now = microTime(this.now());
    const mine = holding?.holderIdentity === this.options.identity;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(this.options.leaseDurationMs / 1000)),
      acquireTime: mine && holding?.acquireTime ? holding.acquireTime : now,
      renewTime: now,
      leaseTransitions: (holding?.leaseTransitions ?? 0) + (mine || !holding ? 0 : 1),
    };
  }

  private key() {
    return { namespace: this.options.namespace, name: this.options.name };
  }

  /** Acquires or renews the lease if it may; answers whether this replica leads now. */
  async tryAcquireOrRenew(): Promise<boolean> {
    this.leading = await this.attempt();
    return this.leading;
  }

  private async attempt(): Promise<boolean> {
    const read = await this.writer.read(leaseTarget, this.key());
    if (!read.ok) {
      if (read.error.code !== 'NOT_FOUND') return this.keepIfFresh();
      const created = await this.writer.create(leaseTarget, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: this.key() as KubeObject['metadata'],
        spec: this.spec(null),
      });
      return this.took(created);
    }
    const spec = (read.value['spec'] ?? {}) as LeaseSpec;
    if (!this.observed || !isDeepStrictEqual(this.observed.spec, spec))
      this.observed = { spec, sinceMs: this.monotonic() };
    const holder = spec.holderIdentity;
    const expired =
      !holder || this.monotonic() - this.observed.sinceMs > (spec.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== this.options.identity && !expired) return false;
    const patched = await this.writer.mergePatch(
      leaseTarget,
      this.key(),
      { spec: this.spec(holder ? spec : null) },
      { resourceVersion: read.value.metadata.resourceVersion },
    );
    return this.took(patched);
  }

  private took(written: Result<KubeObject>): boolean {
    if (!written.ok) return false;
    this.observed = { spec: (written.value['spec'] ?? {}) as LeaseSpec, sinceMs: this.monotonic() };
    return true;
  }

  /** The API server could not be asked: a leader keeps leading only while its own lease lasts. */
  private keepIfFresh(): boolean {
    return (
      this.leading &&
      this.observed !== null &&
      this.monotonic() - this.observed.sinceMs < this.options.leaseDurationMs
    );
  }

  /** Gives the lease up (a clean shutdown) so another replica takes over at once. */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    const read = await this.writer.read(leaseTarget, this.key());
    if (!read.ok) return;
    const spec = (read.value['spec'] ?? {}) as LeaseSpec;
    if (spec.holderIdentity !== this.options.identity) return;
    await this.writer.mergePatch(
      leaseTarget,
      this.key(),
      { spec: { holderIdentity: null, renewTime: null, acquireTime: null } },
      { resourceVersion: read.value.metadata.resourceVersion },
    );
  }
}
