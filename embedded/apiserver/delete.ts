/**
 * Deletion: finalizers and deletionTimestamp, propagation policies (Background removes the
 * object now and lets the GC take dependents; Foreground and Orphan park it behind the
 * `foregroundDeletion` / `orphan` finalizer until the GC has dealt with its dependents).
 */
import type { AdmissionRequest, KubeObject } from './admission.ts';
import { timestamp, type ApiContext } from './api-context.ts';
import { namespaceResourceKey } from './builtin-kinds.ts';
import {
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  retryOnStale,
  StaleReadError,
} from './errors.ts';
import { objectKey } from './object-locks.ts';
import type { ResourceType } from './resource-type.ts';
import type { UserInfo } from './auth/user.ts';
import { clone, refOf, removeObject } from './write-pipeline.ts';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
  /** The requester (never read from the body): admission sees it as the request's userInfo. */
  user?: UserInfo;
}

export interface DeleteResult {
  /** The object as it is now: still there (marked for deletion) or gone. */
  object: KubeObject;
  removed: boolean;
}

/** Like the real server's NamespaceLifecycle admission: these are never deleted. */
const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

const policies = new Set(['Background', 'Foreground', 'Orphan']);

/** Reads DeleteOptions from the body and query, as kubectl and client-go send them. */
export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const options = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  let policy = (query.get('propagationPolicy') ?? options['propagationPolicy']) as string | undefined;
  if (policy === undefined && options['orphanDependents'] === true) policy = 'Orphan';
  if (policy !== undefined && !policies.has(policy)) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const dryRun = [...query.getAll('dryRun'), ...((options['dryRun'] as string[] | undefined) ?? [])];
  for (const d of dryRun)
    if (d !== 'All') throw badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  return {
    ...(policy ? { propagationPolicy: policy as PropagationPolicy } : {}),
    ...(options['preconditions']
      ? { preconditions: options['preconditions'] as DeleteOptions['preconditions'] }
      : {}),
    dryRun: dryRun.length > 0,
  };
}

async function admitDelete(
  ctx: ApiContext,
  rt: ResourceType,
  old: KubeObject,
  dryRun: boolean,
  user: UserInfo | undefined,
): Promise<void> {
  const request: AdmissionRequest = {
    operation: 'DELETE',
    group: rt.group,
    // Admission sees the stored object, so the storage version.
    version: rt.conversion?.storageVersion ?? rt.version,
    resource: rt.plural,
    kind: rt.kind,
    ...(old.metadata.namespace ? { namespace: old.metadata.namespace } : {}),
    name: old.metadata.name ?? '',
    oldObject: old,
    dryRun,
    ...(user ? { userInfo: user } : {}),
  };
  for (const plugin of ctx.admission.validating) {
    const response = await plugin.validate(request);
    if (!response.allowed) {
      if (response.code === 403)
        throw forbidden(response.message, { name: request.name, group: rt.group, kind: rt.plural });
      throw invalid(
        refOf(rt),
        rt.kind,
        request.name,
        response.causes ?? [{ reason: 'FieldValueInvalid', field: '', message: response.message }],
      );
    }
  }
}

export function deleteObject(
  ctx: ApiContext,
  rt: ResourceType,
  namespace: string,
  name: string,
  options: DeleteOptions,
): Promise<DeleteResult> {
  return ctx.locks.run(objectKey(rt.storageKey, namespace, name), () =>
    retryOnStale(() => attemptDelete(ctx, rt, namespace, name, options)),
  );
}

function checkUnchanged(ctx: ApiContext, rt: ResourceType, old: KubeObject): void {
  const current = ctx.store.get(rt.storageKey, old.metadata.namespace ?? '', old.metadata.name ?? '')?.obj;
  if (current !== old) throw new StaleReadError(refOf(rt), old.metadata.name ?? '');
}

async function attemptDelete(
  ctx: ApiContext,
  rt: ResourceType,
  namespace: string,
  name: string,
  options: DeleteOptions,
): Promise<DeleteResult> {
  const stored = ctx.store.get(rt.storageKey, namespace, name);
  if (!stored) throw notFound(refOf(rt), name);
  const old = stored.obj;
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== old.metadata.uid) {
    throw conflict(
      refOf(rt),
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
    throw conflict(
      refOf(rt),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
    );
  }
  await admitDelete(ctx, rt, old, options.dryRun, options.user);

  const finalizers = [...(old.metadata.finalizers ?? [])];
  const policy = options.propagationPolicy ?? 'Background';
  if (rt.storageKey === namespaceResourceKey) {
    if (immortalNamespaces.has(name)) {
      throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, {
        name,
        group: '',
        kind: 'namespaces',
      });
    }
    // Namespaces always finish through the namespace controller (Terminating, then emptied).
    return markForDeletion(ctx, rt, old, finalizers, options.dryRun);
  }
  const hasDependents = ctx.store.dependentsOf(old.metadata.uid ?? '').length > 0;
  if (policy === 'Foreground' && hasDependents && !finalizers.includes('foregroundDeletion'))
    finalizers.push('foregroundDeletion');
  if (policy === 'Orphan' && hasDependents && !finalizers.includes('orphan')) finalizers.push('orphan');
  if (finalizers.length === 0) {
    if (!options.dryRun) {
      checkUnchanged(ctx, rt, old);
      await removeObject(ctx, rt, old);
    }
    return { object: old, removed: true };
  }
  return markForDeletion(ctx, rt, old, finalizers, options.dryRun);
}

async function markForDeletion(
  ctx: ApiContext,
  rt: ResourceType,
  old: KubeObject,
  finalizers: string[],
  dryRun: boolean,
): Promise<DeleteResult> {
  const unchanged =
    old.metadata.deletionTimestamp !== undefined &&
    JSON.stringify(finalizers) === JSON.stringify(old.metadata.finalizers ?? []);
  if (unchanged) return { object: old, removed: false };
  const next = clone(old);
  next.metadata.deletionTimestamp ??= timestamp(ctx);
  next.metadata['deletionGracePeriodSeconds'] = 0;
  next.metadata.finalizers = finalizers;
  if (rt.storageKey === namespaceResourceKey)
    next['status'] = { ...((next['status'] as object) ?? {}), phase: 'Terminating' };
  if (dryRun) return { object: next, removed: false };
  checkUnchanged(ctx, rt, old);
  next.metadata.resourceVersion = String(ctx.store.nextResourceVersion());
  const durable = ctx.store.write(rt.storageKey, next);
  const uid = next.metadata.uid ?? '';
  if (finalizers.includes('foregroundDeletion') || finalizers.includes('orphan')) ctx.enqueueGc(uid);
  if (rt.storageKey === namespaceResourceKey) ctx.enqueueNamespace(next.metadata.name ?? '');
  await durable;
  return { object: next, removed: false };
}
