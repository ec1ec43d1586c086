/**
 * What every reconciler gets: the client, the shared cache, time (clock + speed), fault knobs,
 * and the write helpers that make writes optimistic (resourceVersion in every patch), minimal
 * (no request when nothing changed) and immediately visible to the next reconcile.
 */
import jsonMergePatch from 'json-merge-patch';
import type { KubeObject } from '../apiserver/admission.ts';
import type { Clock } from './clock.ts';
import { isoTime } from './clock.ts';
import { type ConditionInput, mergeConditions, readConditions } from './conditions.ts';
import type { KubeClient, KubeResult, ResourceType } from './kube-client.ts';
import type { MissingBackoff } from './missing-backoff.ts';
import type { ObjectCache } from './object-cache.ts';
import type { ReconcileCause } from './reconcile-errors.ts';
import { type JsonRecord, isRecord } from './object-fields.ts';
import { stableJson } from './naming.ts';

export interface EngineFaults {
  /** Fraction (0-1) of machines whose infrastructure never finishes provisioning. */
  machineFailureRate: number;
  /** Fraction (0-1) of nodes that turn NotReady a while after becoming Ready. */
  nodeNotReadyRate: number;
}

export type ObjectRole = 'infraMachine' | 'infraCluster' | 'bootstrap';

export interface EngineContext {
  client: KubeClient;
  cache: ObjectCache;
  clock: Clock;
  speed: number;
  faults: EngineFaults;
  /** Debug-level notes (CAPI_ENGINE_LOG_LEVEL=debug). */
  log(message: string, fields?: Record<string, unknown>): void;
  /** A request the API server refused, or another reason the current reconcile cannot proceed. */
  reportFailure(cause: ReconcileCause): void;
  /** Scaled milliseconds for a duration in simulated seconds. */
  scaled(seconds: number): number;
  /**
   * When a simulated step of an object started: first asked = now, or `since` (a timestamp the
   * object carries, e.g. a condition's lastTransitionTime) when the engine restarted mid-step.
   */
  startedAt(uid: string, step: string, since?: string): number;
  forgetTimers(uid: string): void;
  /** Waits for references to objects that do not exist (see missing-backoff.ts). */
  missing: MissingBackoff;
  /** Declares that a kind plays a role (its objects get that role's controller). */
  watchRole(role: ObjectRole, apiGroup: string, kind: string): void;
  enqueue(controller: string, namespace: string | undefined, name: string, afterMs?: number): void;
}

export function now(ctx: EngineContext): string {
  return isoTime(ctx.clock);
}

function deepClone<T>(value: T): T {
  return structuredClone(value);
}

/** Merge-patches `object` from its cached state to `desired` (whole object or status only). */
export async function patchTo(
  ctx: EngineContext,
  type: ResourceType,
  current: KubeObject,
  desired: JsonRecord,
  subresource?: 'status',
): Promise<KubeResult<KubeObject> | undefined> {
  const before = subresource === 'status' ? { status: current.status ?? {} } : stripStatus(current);
  const after = subresource === 'status' ? { status: desired.status ?? {} } : stripStatus(desired);
  if (stableJson(before) === stableJson(after)) return undefined;
  const patch = jsonMergePatch.generate(before, after) as JsonRecord | undefined;
  if (!patch) return undefined;
  const metadata = isRecord(patch.metadata) ? patch.metadata : {};
  patch.metadata = { ...metadata, resourceVersion: current.metadata.resourceVersion };
  const result = await ctx.client.patch(
    type,
    current.metadata.namespace ?? '',
    current.metadata.name ?? '',
    patch,
    subresource,
  );
  if (result.ok) ctx.cache.informer(type).remember(result.value);
  // A conflict or a vanished object is routine: the next reconcile reads the new state.
  else if (result.code !== 409 && result.code !== 404)
    ctx.reportFailure({
      operation: subresource === 'status' ? 'patch status' : 'patch',
      target: targetOf(type, current),
      code: result.code,
      answer: result.message,
    });
  return result;
}

function targetOf(
  type: ResourceType,
  object: KubeObject,
): { kind: string; namespace?: string; name?: string } {
  return {
    kind: type.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    ...(object.metadata.name ? { name: object.metadata.name } : {}),
  };
}

function stripStatus(object: JsonRecord): JsonRecord {
  const { status: _status, ...rest } = object;
  return rest;
}

/** Writes a new status built by `build` from a copy of the current one. */
export async function updateStatus(
  ctx: EngineContext,
  type: ResourceType,
  object: KubeObject,
  build: (status: JsonRecord) => void,
): Promise<KubeResult<KubeObject> | undefined> {
  const status = isRecord(object.status) ? deepClone(object.status) : {};
  build(status);
  return patchTo(ctx, type, object, { ...object, status }, 'status');
}

/** Replaces the condition types in `updates`, keeping other writers' conditions. */
export function setConditions(
  ctx: EngineContext,
  status: JsonRecord,
  updates: ConditionInput[],
  generation?: number,
): void {
  status.conditions = mergeConditions(readConditions(status), updates, now(ctx), generation);
}

/** Changes metadata/spec through a function of a copy; no request when nothing changed. */
export async function updateObject(
  ctx: EngineContext,
  type: ResourceType,
  object: KubeObject,
  change: (copy: KubeObject) => void,
): Promise<KubeResult<KubeObject> | undefined> {
  const copy = deepClone(object);
  change(copy);
  return patchTo(ctx, type, object, copy);
}

export async function createObject(
  ctx: EngineContext,
  type: ResourceType,
  object: KubeObject,
): Promise<KubeResult<KubeObject>> {
  const result = await ctx.client.create(type, object);
  if (result.ok) ctx.cache.informer(type).remember(result.value);
  else if (result.code !== 409)
    ctx.reportFailure({
      operation: 'create',
      target: targetOf(type, object),
      code: result.code,
      answer: result.message,
    });
  return result;
}

export async function deleteObject(
  ctx: EngineContext,
  type: ResourceType,
  object: KubeObject,
): Promise<void> {
  if (object.metadata.deletionTimestamp) return;
  const result = await ctx.client.delete(type, object.metadata.namespace ?? '', object.metadata.name ?? '');
  const informer = ctx.cache.informer(type);
  if (result.ok || result.code === 404) {
    // Mark it locally so the next reconcile does not delete it again before the watch catches up.
    const marked = deepClone(object);
    marked.metadata.deletionTimestamp = now(ctx);
    marked.metadata.resourceVersion = `${object.metadata.resourceVersion ?? '0'}.5`;
    if (result.ok) informer.remember(marked);
    else informer.forget(object);
  } else
    ctx.reportFailure({
      operation: 'delete',
      target: targetOf(type, object),
      code: result.code,
      answer: result.message,
    });
}

export function addFinalizer(object: KubeObject, finalizer: string): void {
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) object.metadata.finalizers = [...finalizers, finalizer];
}

export function removeFinalizer(object: KubeObject, finalizer: string): void {
  object.metadata.finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
}

export type OwnerReference = NonNullable<KubeObject['metadata']['ownerReferences']>[number];

export function ownerReference(owner: KubeObject, controller: boolean): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
  };
}

export function controllerOwner(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

export function ownerOfKind(object: KubeObject, kind: string): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.kind === kind);
}

/** Adds or replaces the owner reference to `owner` (same kind + name). */
export function ensureOwnerReference(object: KubeObject, owner: KubeObject, controller: boolean): void {
  const refs = [...(object.metadata.ownerReferences ?? [])];
  const index = refs.findIndex((ref) => ref.kind === owner.kind && ref.name === owner.metadata.name);
  // Only one controller owner is allowed.
  const hasOtherController = refs.some((ref, i) => i !== index && ref.controller === true);
  const reference = ownerReference(owner, controller && !hasOtherController);
  if (index === -1) refs.push(reference);
  else refs[index] = reference;
  object.metadata.ownerReferences = refs;
}

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
