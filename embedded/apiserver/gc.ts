/**
 * The garbage collector: deletes dependents whose owners are gone, drives Foreground deletion
 * (dependents first, then the owner's `foregroundDeletion` finalizer) and Orphan deletion
 * (ownerReferences stripped, then the `orphan` finalizer). Work is queued by owner UID.
 */
import type { KubeObject } from './admission.ts';
import type { ApiContext } from './api-context.ts';
import { deleteObject } from './delete.ts';
import type { ResourceType } from './resource-type.ts';
import { clone, removeObject } from './write-pipeline.ts';

export class WorkQueue {
  private readonly pending = new Set<string>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly work: (item: string) => Promise<void>) {}

  enqueue(item: string): void {
    if (this.stopped || !item) return;
    this.pending.add(item);
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.size && !this.stopped) {
      const [item] = this.pending as Set<string> & Iterable<string>;
      this.pending.delete(item!);
      try {
        await this.work(item!);
      } catch {
        // Conflicts and races with other writers: the next event for this item retries.
      }
    }
    this.running = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Resolves once the queue is empty (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

function typeFor(ctx: ApiContext, key: string): ResourceType | undefined {
  return ctx.registry.byStorageKey(key)[0];
}

async function rewrite(ctx: ApiContext, key: string, obj: KubeObject): Promise<void> {
  obj.metadata.resourceVersion = String(ctx.store.nextResourceVersion());
  await ctx.store.write(key, obj);
}

async function finishFinalizer(
  ctx: ApiContext,
  rt: ResourceType,
  owner: KubeObject,
  finalizer: string,
): Promise<void> {
  const next = clone(owner);
  next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  if (next.metadata.finalizers.length === 0) {
    await removeObject(ctx, rt, next);
    return;
  }
  await rewrite(ctx, rt.storageKey, next);
}

export async function collectGarbage(ctx: ApiContext, uid: string): Promise<void> {
  const location = ctx.store.locate(uid);
  const dependents = ctx.store
    .dependentsOf(uid)
    .map((d) => ({ ...d, stored: ctx.store.get(d.key, d.namespace, d.name) }))
    .filter((d) => d.stored !== undefined);
  if (location) {
    const owner = ctx.store.get(location.key, location.namespace, location.name)!.obj;
    const rt = typeFor(ctx, location.key);
    if (!rt || !owner.metadata.deletionTimestamp) return;
    const finalizers = owner.metadata.finalizers ?? [];
    if (finalizers.includes('orphan')) {
      for (const d of dependents) {
        const current = ctx.store.get(d.key, d.namespace, d.name)?.obj;
        if (!current) continue;
        const next = clone(current);
        next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        await rewrite(ctx, d.key, next);
      }
      await finishFinalizer(ctx, rt, owner, 'orphan');
      return;
    }
    if (finalizers.includes('foregroundDeletion')) {
      if (dependents.length === 0) {
        await finishFinalizer(ctx, rt, owner, 'foregroundDeletion');
        return;
      }
      for (const d of dependents) {
        const drt = typeFor(ctx, d.key);
        if (!drt || d.stored!.obj.metadata.deletionTimestamp) continue;
        await deleteObject(ctx, drt, d.namespace, d.name, { propagationPolicy: 'Foreground', dryRun: false });
      }
    }
    return;
  }
  // The owner is gone: a dependent with no other live owner goes too; otherwise it loses the dangling reference.
  for (const d of dependents) {
    const drt = typeFor(ctx, d.key);
    if (!drt) continue;
    const dependent = d.stored!.obj;
    const liveOwners = (dependent.metadata.ownerReferences ?? []).filter(
      (r) => r.uid !== uid && ctx.store.locate(r.uid),
    );
    if (liveOwners.length === 0) {
      if (!dependent.metadata.deletionTimestamp) {
        await deleteObject(ctx, drt, d.namespace, d.name, { propagationPolicy: 'Background', dryRun: false });
      }
    } else {
      const current = ctx.store.get(d.key, d.namespace, d.name)?.obj;
      if (!current) continue;
      const next = clone(current);
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      await rewrite(ctx, d.key, next);
    }
  }
}

/** Deletes everything in a Terminating namespace, then the namespace itself. */
export async function finishNamespace(ctx: ApiContext, namespace: string): Promise<void> {
  const nsRt = typeFor(ctx, 'namespaces');
  const stored = ctx.store.get('namespaces', '', namespace);
  if (!nsRt || !stored?.obj.metadata.deletionTimestamp) return;
  const keys = new Set(
    ctx.registry
      .all()
      .filter((rt) => rt.namespaced)
      .map((rt) => rt.storageKey),
  );
  for (const key of keys) {
    const rt = typeFor(ctx, key)!;
    for (const object of ctx.store.list(key, namespace)) {
      if (object.obj.metadata.deletionTimestamp) continue;
      await deleteObject(ctx, rt, namespace, object.obj.metadata.name ?? '', {
        propagationPolicy: 'Background',
        dryRun: false,
      });
    }
  }
  const left = [...keys].reduce((n, key) => n + ctx.store.list(key, namespace).length, 0);
  if (left > 0) return;
  const current = ctx.store.get('namespaces', '', namespace)?.obj;
  if (!current) return;
  if ((current.metadata.finalizers ?? []).length > 0) {
    const spec = (current['spec'] as { finalizers?: string[] } | undefined) ?? {};
    if (spec.finalizers?.length) {
      const next = clone(current);
      next['spec'] = { ...spec, finalizers: [] };
      await rewrite(ctx, 'namespaces', next);
    }
    return;
  }
  await removeObject(ctx, nsRt, current);
}
