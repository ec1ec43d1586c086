/**
 * Any CAPI object as the API server stores it (`raw`: apiVersion, kind, metadata, spec, status),
 * read when a query asks for it instead of being kept in the caches: the caches keep only what
 * the schema's other fields read (for provider objects, the larger part of an object is spec
 * and status nobody queries).
 *
 * Loads are batched: every `load` of one tick is answered together, per kind and namespace — a
 * few objects by GET each, more by one LIST (narrowed to their clusters by label when every one
 * carries the cluster-name label), so a tree's worth of `raw` costs a handful of requests, not
 * one per object. Only CAPI objects (custom resources) are read: never a core object, so never
 * a Secret.
 */
import { targetOf } from '../k8s/crd-registry.ts';
import { toDomainError } from '../k8s/api-errors.ts';
import type { DomainError } from '../k8s/domain-error.ts';
import type { KubeObject } from '../k8s/kube-object.ts';
import type { ManagementClusterConnection } from '../k8s/management-cluster-connection.ts';
import { labels } from './kinds.ts';
import type { CapiView, RawObject } from './views.ts';

interface Waiter {
  resolve: (raw: RawObject) => void;
  reject: (error: Error) => void;
}

interface Batch {
  view: CapiView;
  /** name → who waits for it */
  waiters: Map<string, Waiter[]>;
  /** The cluster-name label of every object asked for (null: one has none). */
  clusters: Set<string | null>;
}

/** Why an object's `raw` could not be read, as a domain error (a message safe to show). */
export class RawReadError extends Error {
  constructor(readonly domain: DomainError) {
    super(domain.message);
    this.name = 'RawReadError';
  }
}

const failure = (code: DomainError['code'], message: string) => new RawReadError({ code, message });

/** Up to this many objects of one kind and namespace are read one by one. */
const maxGets = 4;

/** The object without `metadata.managedFields` (server bookkeeping, as `kubectl get -o yaml` hides it). */
export function rawOf(object: KubeObject): RawObject {
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return { ...object, metadata };
}

export class RawObjectReader {
  private batches = new Map<string, Batch>();
  private scheduled = false;

  constructor(private readonly connection: ManagementClusterConnection) {}

  load(view: CapiView): Promise<RawObject> {
    const { group, kind, namespace, name } = view.address;
    // Core objects (Secrets above all) are no CAPI object's raw; custom resources only.
    if (group === '') return Promise.reject(failure('NOT_FOUND', `${kind} is not a Cluster API object`));
    const key = `${group}/${kind}/${namespace}`;
    let batch = this.batches.get(key);
    if (!batch) this.batches.set(key, (batch = { view, waiters: new Map(), clusters: new Set() }));
    batch.clusters.add(view.labels[labels.clusterName] ?? null);
    const promise = new Promise<RawObject>((resolve, reject) => {
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
    const fail = (error: RawReadError) => {
      for (const list of batch.waiters.values()) for (const w of list) w.reject(error);
    };
    if (!crd)
      return fail(failure('NOT_FOUND', `${kind}.${group} is no longer served by ${this.connection.name}`));
    const target = targetOf(crd);
    const answer = (name: string, object: KubeObject | undefined) => {
      for (const w of batch.waiters.get(name) ?? []) {
        if (object) w.resolve(rawOf(object));
        else
          w.reject(failure('NOT_FOUND', `${kind} ${namespace}/${name} not found on ${this.connection.name}`));
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
              const error = new RawReadError(toDomainError(err, `${kind} ${namespace}/${name}`));
              for (const w of batch.waiters.get(name) ?? []) w.reject(error);
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
      fail(new RawReadError(toDomainError(err, `${kind} objects in ${namespace}`)));
    }
  }
}
