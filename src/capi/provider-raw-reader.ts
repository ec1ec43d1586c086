/**
 * The provider-specific spec and status of infrastructure / bootstrap objects, read from the
 * API server when a query asks for `raw`, instead of being kept in the caches for every object
 * (they were the larger part of a provider object's cached view, and few queries read them).
 *
 * Loads are batched: every `load` of one tick is answered together, per kind and namespace — a
 * few objects by GET each, more by one LIST (narrowed to their clusters by label when they
 * name them), so a page of machines costs a handful of requests, not one per object.
 */
import { targetOf } from '../k8s/crd-registry.ts';
import { toDomainError } from '../k8s/api-errors.ts';
import type { KubeObject } from '../k8s/kube-object.ts';
import type { ManagementClusterConnection } from '../k8s/management-cluster-connection.ts';
import { labels } from './kinds.ts';
import type { ProviderObjectView } from './views.ts';

export interface ProviderRaw {
  spec: unknown;
  status: unknown;
}

interface Waiter {
  resolve: (raw: ProviderRaw) => void;
  reject: (error: Error) => void;
}

interface Batch {
  view: ProviderObjectView;
  /** name → who waits for it */
  waiters: Map<string, Waiter[]>;
  clusters: Set<string | null>;
}

/** Up to this many objects of one kind and namespace are read one by one. */
const maxGets = 4;

export function rawOf(object: KubeObject): ProviderRaw {
  return { spec: object['spec'] ?? null, status: object['status'] ?? null };
}

export class ProviderRawReader {
  private batches = new Map<string, Batch>();
  private scheduled = false;

  constructor(private readonly connection: ManagementClusterConnection) {}

  load(view: ProviderObjectView): Promise<ProviderRaw> {
    const { group, kind, namespace, name } = view.address;
    const key = `${group}/${kind}/${namespace}`;
    let batch = this.batches.get(key);
    if (!batch) this.batches.set(key, (batch = { view, waiters: new Map(), clusters: new Set() }));
    batch.clusters.add(view.clusterName);
    const promise = new Promise<ProviderRaw>((resolve, reject) => {
      const list = batch.waiters.get(name) ?? [];
      list.push({ resolve, reject });
      batch.waiters.set(name, list);
    });
    if (!this.scheduled) {
      this.scheduled = true;
      // After the current round of field resolution: every load of this query round is in.
      setImmediate(() => this.flush());
    }
    return promise;
  }

  private flush(): void {
    const batches = [...this.batches.values()];
    this.batches = new Map();
    this.scheduled = false;
    for (const batch of batches) void this.read(batch);
  }

  private async read(batch: Batch): Promise<void> {
    const { group, kind, namespace } = batch.view.address;
    const crd = this.connection.crd({ group, kind });
    const fail = (error: Error) => {
      for (const list of batch.waiters.values()) for (const w of list) w.reject(error);
    };
    if (!crd) return fail(new Error(`${kind}.${group} is no longer served by ${this.connection.name}`));
    const target = targetOf(crd);
    const answer = (name: string, object: KubeObject | undefined) => {
      for (const w of batch.waiters.get(name) ?? []) {
        if (object) w.resolve(rawOf(object));
        else w.reject(new Error(`${kind} ${namespace}/${name} not found on ${this.connection.name}`));
      }
    };
    const names = [...batch.waiters.keys()];
    try {
      if (names.length <= maxGets) {
        await Promise.all(
          names.map(async (name) => {
            try {
              answer(name, await this.connection.transport.get(target, namespace, name));
            } catch (err) {
              const error = toDomainError(err, `${kind} ${namespace}/${name}`);
              for (const w of batch.waiters.get(name) ?? []) w.reject(new Error(error.message));
            }
          }),
        );
        return;
      }
      const clusters = [...batch.clusters];
      const labelSelector =
        clusters.length <= 50 && clusters.every((c) => c !== null)
          ? `${labels.clusterName} in (${clusters.join(',')})`
          : undefined;
      const found = new Map<string, KubeObject>();
      let continueToken: string | undefined;
      do {
        const page = await this.connection.transport.list(target, {
          namespace,
          ...(labelSelector ? { labelSelector } : {}),
          limit: 2000,
          ...(continueToken ? { continueToken } : {}),
        });
        for (const o of page.items) if (batch.waiters.has(o.metadata.name)) found.set(o.metadata.name, o);
        continueToken = page.continueToken;
      } while (continueToken);
      for (const name of names) answer(name, found.get(name));
    } catch (err) {
      fail(new Error(toDomainError(err, `${kind} objects in ${namespace}`).message));
    }
  }
}
