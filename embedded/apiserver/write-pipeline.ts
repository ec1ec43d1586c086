/**
 * The path every create/update (and every patch, once applied) takes to storage:
 * system metadata, the status-subresource split, schema check (prune, default, validate),
 * mutating admission, schema re-check, validating admission, generation, resourceVersion,
 * commit (durable before the response), and what a commit sets off (CRD registration, GC).
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type {
  AdmissionCause,
  AdmissionRequest,
  AdmissionResponse,
  KubeObject,
  MutatingAdmissionPlugin,
} from './admission.ts';
import { timestamp, type ApiContext } from './api-context.ts';
import { crdResourceKey, namespaceResourceKey } from './builtin-kinds.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  StaleReadError,
  StatusError,
} from './errors.ts';
import { checkEscalation } from './auth/escalation.ts';
import { rbacGroup } from './auth/rbac-index.ts';
import type { UserInfo } from './auth/user.ts';
import { validateRbacObject } from './auth/rbac-validation.ts';
import { pruneBuiltinFields } from './builtin-fields.ts';
import { validateBuiltinFields, validateObjectMeta } from './object-meta.ts';
import { crdSpec, ResourceRegistry } from './registry.ts';
import { apiVersionOf, type ResourceType } from './resource-type.ts';
import type { FieldValidation } from './schema/types.ts';

export interface WriteOptions {
  fieldValidation: FieldValidation;
  dryRun: boolean;
  /** `status` for /status writes; scale writes arrive here as main-resource writes. */
  subresource?: 'status';
  /** Operation recorded for admission: creates through apply/update-on-missing are CREATE. */
  fieldManager?: string;
  /** `false`: the write was validated at its request version already (`None` conversion). */
  validate?: false;
  /**
   * A write through the scale subresource: admission sees the `Scale` objects (subresource
   * `scale`), as webhooks registered for `<resource>/scale` do; webhooks of the main resource
   * see nothing, as their rules do not match the subresource.
   */
  scale?: (obj: KubeObject) => KubeObject;
  /**
   * The requesting user: RBAC writes are checked for escalation against what it holds, and
   * admission sees it as the request's userInfo.
   */
  user?: UserInfo;
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  created: boolean;
}

export function refOf(rt: ResourceType): { group: string; resource: string } {
  return { group: rt.group, resource: rt.plural };
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

function withoutVolatile(obj: KubeObject): unknown {
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function specPart(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** Namespaces must exist (and not be terminating, for creates). */
function checkNamespace(ctx: ApiContext, rt: ResourceType, obj: KubeObject, creating: boolean): void {
  if (!rt.namespaced) return;
  const namespace = obj.metadata.namespace ?? '';
  const ns = ctx.store.get(namespaceResourceKey, '', namespace);
  if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  if (creating && ns.obj.metadata.deletionTimestamp) {
    throw forbidden(
      `${rt.plural}${rt.group ? '.' + rt.group : ''} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        name: obj.metadata.name ?? '',
        group: rt.group,
        kind: rt.plural,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
  }
}

function schemaCheck(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  opts: WriteOptions,
): { object: KubeObject; warnings: string[] } {
  if (!rt.check) return { object: obj, warnings: [] };
  const result = rt.check(obj, {
    fieldValidation: opts.fieldValidation,
    ...(old ? { oldObject: old } : {}),
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
    ...(opts.validate === false ? { validate: false } : {}),
  });
  if (result.ok) return { object: result.object, warnings: result.warnings };
  if (result.code === 400)
    throw new StatusError(400, 'BadRequest', result.message, { causes: result.causes });
  throw invalid(refOf(rt), rt.kind, obj.metadata.name ?? '', result.causes);
}

/**
 * Mutating admission, then the schema validation of what it produced, then validating admission —
 * kube-apiserver's order (defaults a webhook sets count before the schema is checked). A mutating
 * plugin that fails on an object the schema rejects answers with the schema's errors, as the real
 * webhooks would never see such an object decoded.
 */
async function admit(
  ctx: ApiContext,
  request: AdmissionRequest,
  rt: ResourceType,
  opts: WriteOptions,
): Promise<string[]> {
  const warnings: string[] = [];
  const reject = (response: { code?: 422 | 403; message: string; causes?: AdmissionCause[] }): never => {
    if (response.code === 403) {
      throw forbidden(response.message, {
        name: request.name,
        group: rt.group,
        kind: rt.plural,
        ...(response.causes ? { causes: response.causes } : {}),
      });
    }
    const causes = response.causes?.length
      ? response.causes
      : [{ reason: 'FieldValueInvalid', message: response.message, field: '' }];
    throw invalid(refOf(rt), rt.kind, request.name, causes);
  };
  const decoded = request.object;
  for (const plugin of ctx.admission.mutating) {
    const response = await callMutating(plugin, request, () =>
      decoded
        ? schemaCheck(rt, decoded, request.oldObject, { ...opts, fieldValidation: 'Ignore' })
        : undefined,
    );
    if (!response.allowed) reject(response);
    else warnings.push(...(response.warnings ?? []));
  }
  if (request.object && ctx.admission.mutating.length && request.subresource !== 'scale') {
    request.object = schemaCheck(rt, request.object, request.oldObject, {
      fieldValidation: 'Ignore',
      dryRun: false,
      ...(opts.validate === false ? { validate: false } : {}),
    }).object;
  }
  for (const plugin of ctx.admission.validating) {
    const response = await plugin.validate(request);
    if (!response.allowed) reject(response);
    else warnings.push(...(response.warnings ?? []));
  }
  return warnings;
}

/** Calls a mutating plugin; when it throws, the schema errors of its input (if any) are the answer. */
async function callMutating(
  plugin: MutatingAdmissionPlugin,
  request: AdmissionRequest,
  validateInput: () => unknown,
): Promise<AdmissionResponse> {
  try {
    return await plugin.admit(request);
  } catch (error) {
    if (!(error instanceof StatusError)) validateInput();
    throw error;
  }
}

/** Carries the stored object's system fields into an update, and checks preconditions. */
function mergeSystemMeta(rt: ResourceType, next: KubeObject, old: KubeObject): void {
  const rv = next.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) {
    throw conflict(
      refOf(rt),
      old.metadata.name ?? '',
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }
  if (next.metadata.uid !== undefined && next.metadata.uid !== '' && next.metadata.uid !== old.metadata.uid) {
    throw conflict(
      refOf(rt),
      old.metadata.name ?? '',
      `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  }
  next.metadata.uid = old.metadata.uid;
  next.metadata.creationTimestamp = old.metadata.creationTimestamp;
  if (old.metadata.deletionTimestamp) next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
  else delete next.metadata.deletionTimestamp;
  if (old.metadata['deletionGracePeriodSeconds'] !== undefined) {
    next.metadata['deletionGracePeriodSeconds'] = old.metadata['deletionGracePeriodSeconds'];
  }
  if (old.metadata.generation !== undefined) next.metadata.generation = old.metadata.generation;
  delete next.metadata.generateName;
  if (old.metadata.generateName) next.metadata.generateName = old.metadata.generateName;
}

function applyStatusSplit(
  rt: ResourceType,
  next: KubeObject,
  old: KubeObject | undefined,
  opts: WriteOptions,
): KubeObject {
  if (!rt.status) return next;
  if (opts.subresource === 'status') {
    if (!old) throw badRequest('status can only be written on an existing object');
    // A status write keeps everything of the stored object but its status (and managedFields).
    const result: KubeObject = { ...clone(old), metadata: { ...clone(old.metadata) } };
    if (next['status'] !== undefined) result['status'] = next['status'];
    else delete result['status'];
    if (next.metadata['managedFields'] !== undefined)
      result.metadata['managedFields'] = next.metadata['managedFields'];
    result.metadata.resourceVersion = next.metadata.resourceVersion;
    return result;
  }
  if (old && old['status'] !== undefined) next['status'] = clone(old['status']);
  else delete next['status'];
  return next;
}

/** What the real server sets on a CRD it accepts: accepted names, Established, stored versions. */
function crdStatus(crd: KubeObject, old: KubeObject | undefined, now: string): void {
  const spec = crdSpec(crd);
  const storage = spec.versions.find((v) => v.storage)?.name;
  const previous = (
    (old?.['status'] as { storedVersions?: string[] } | undefined)?.storedVersions ?? []
  ).filter((v) => spec.versions.some((sv) => sv.name === v));
  const storedVersions = storage && !previous.includes(storage) ? [...previous, storage] : previous;
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  crd['status'] = {
    acceptedNames: {
      kind: spec.names.kind,
      plural: spec.names.plural,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      listKind: spec.names.listKind ?? `${spec.names.kind}List`,
      ...(spec.names.shortNames ? { shortNames: spec.names.shortNames } : {}),
      ...(spec.names.categories ? { categories: spec.names.categories } : {}),
    },
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found for CRD names'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    storedVersions,
  };
}

function validateCrdObject(rt: ResourceType, crd: KubeObject): void {
  const spec = crd['spec'] as Partial<ReturnType<typeof crdSpec>> | undefined;
  const causes: AdmissionCause[] = [];
  if (!spec || typeof spec !== 'object')
    causes.push({ reason: 'FieldValueRequired', field: 'spec', message: 'Required value' });
  else {
    if (!spec.group)
      causes.push({ reason: 'FieldValueRequired', field: 'spec.group', message: 'Required value' });
    if (!spec.names?.plural)
      causes.push({ reason: 'FieldValueRequired', field: 'spec.names.plural', message: 'Required value' });
    if (!spec.names?.kind)
      causes.push({ reason: 'FieldValueRequired', field: 'spec.names.kind', message: 'Required value' });
    if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
      causes.push({
        reason: 'FieldValueNotSupported',
        field: 'spec.scope',
        message: `Unsupported value: "${String(spec.scope)}": supported values: "Cluster", "Namespaced"`,
      });
    }
    if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
      causes.push({
        reason: 'FieldValueRequired',
        field: 'spec.versions',
        message: 'Required value: must have exactly one version marked as storage version',
      });
    } else if (spec.versions.filter((v) => v.storage).length !== 1) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'spec.versions',
        message: 'Invalid value: must have exactly one version marked as storage version',
      });
    }
    if (spec.group && spec.names?.plural && crd.metadata.name !== `${spec.names.plural}.${spec.group}`) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`,
      });
    }
  }
  if (!causes.length) causes.push(...ResourceRegistry.validateCrd(crd));
  if (causes.length) throw invalid(refOf(rt), rt.kind, crd.metadata.name ?? '', causes);
}

/** Folds Secret `stringData` into `data`, as the real server does on write. */
function normaliseSecret(obj: KubeObject): void {
  if (obj.kind !== 'Secret' || !obj['stringData']) return;
  const data = { ...((obj['data'] as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(obj['stringData'] as Record<string, string>))
    data[k] = Buffer.from(v).toString('base64');
  obj['data'] = data;
  delete obj['stringData'];
  if (!obj['type']) obj['type'] = 'Opaque';
}

/** The served type of `rt`'s storage version (itself unless `rt` is converted). */
export function storageTypeOf(ctx: ApiContext, rt: ResourceType): ResourceType {
  if (!rt.conversion) return rt;
  const storage = ctx.registry.lookup(rt.group, rt.conversion.storageVersion, rt.plural);
  if (!storage)
    throw new StatusError(500, 'InternalError', `no storage version for ${rt.plural}.${rt.group}`);
  return storage;
}

/**
 * A write in a converted version: checked (pruned, defaulted, validated) against the request
 * version's schema, converted to the storage version, then written as a storage-version write
 * (whose schema check then only prunes and defaults what the converter produced: `Ignore`).
 */
async function persistConverted(
  ctx: ApiContext,
  rt: ResourceType,
  input: KubeObject,
  old: KubeObject | undefined,
  opts: WriteOptions,
): Promise<WriteResult> {
  const conversion = rt.conversion!;
  input.apiVersion = apiVersionOf(rt);
  input.kind = rt.kind;
  const checked = schemaCheck(rt, input, old ? conversion.fromStorage(old) : undefined, opts);
  const converted = conversion.toStorage(checked.object);
  const result = await persist(ctx, storageTypeOf(ctx, rt), converted, old, {
    ...opts,
    fieldValidation: 'Ignore',
    ...(conversion.none ? { validate: false as const } : {}),
  });
  return { ...result, warnings: [...checked.warnings, ...result.warnings] };
}

/**
 * Validates, admits and stores `input` (a create when `old` is undefined). `input` is owned by
 * the pipeline (callers pass a fresh object). `old` is always the stored (storage-version) object.
 */
export async function persist(
  ctx: ApiContext,
  rt: ResourceType,
  input: KubeObject,
  old: KubeObject | undefined,
  opts: WriteOptions,
): Promise<WriteResult> {
  if (rt.conversion) return persistConverted(ctx, rt, input, old, opts);
  const name = input.metadata.name ?? '';
  input.apiVersion = apiVersionOf(rt);
  input.kind = rt.kind;
  checkNamespace(ctx, rt, input, !old);
  if (old) mergeSystemMeta(rt, input, old);
  let next = applyStatusSplit(rt, input, old, opts);
  normaliseSecret(next);
  const builtinWarnings = rt.builtin ? pruneBuiltinFields(next, opts.fieldValidation) : [];
  const metaCauses = validateObjectMeta(
    next,
    rt.storageKey === namespaceResourceKey ? 'label' : rt.group === rbacGroup ? 'pathSegment' : 'subdomain',
  );
  if (rt.builtin) metaCauses.push(...validateBuiltinFields(next), ...validateRbacObject(next, old));
  if (metaCauses.length) throw invalid(refOf(rt), rt.kind, name, metaCauses);
  if (opts.user && ctx.authorizer && rt.group === rbacGroup)
    checkEscalation(ctx.authorizer, opts.user, next, old);

  // Decoding prunes and defaults; validation waits for mutating admission when there is any.
  const mutating = ctx.admission.mutating.length > 0;
  const checked = schemaCheck(rt, next, old, mutating ? { ...opts, validate: false } : opts);
  next = checked.object;
  const request: AdmissionRequest = {
    operation: old ? 'UPDATE' : 'CREATE',
    group: rt.group,
    version: rt.version,
    resource: rt.plural,
    kind: rt.kind,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
    ...(next.metadata.namespace ? { namespace: next.metadata.namespace } : {}),
    name,
    object: next,
    ...(old ? { oldObject: old } : {}),
    dryRun: opts.dryRun,
    ...(opts.user ? { userInfo: opts.user } : {}),
  };
  let admissionWarnings: string[];
  if (opts.scale) {
    const scaleRequest: AdmissionRequest = {
      ...request,
      kind: 'Scale',
      subresource: 'scale',
      object: opts.scale(next),
      ...(old ? { oldObject: opts.scale(old) } : {}),
    };
    admissionWarnings = await admit(ctx, scaleRequest, rt, opts);
    // The schema check admission would have run after mutating plugins: none ran on the object.
    next = schemaCheck(rt, next, old, { ...opts, fieldValidation: 'Ignore' }).object;
  } else {
    admissionWarnings = await admit(ctx, request, rt, opts);
    next = request.object ?? next;
  }
  next.apiVersion = apiVersionOf(rt);
  next.kind = rt.kind;

  if (rt.storageKey === crdResourceKey) {
    validateCrdObject(rt, next);
    crdStatus(next, old, timestamp(ctx));
  }
  const warnings = [...builtinWarnings, ...checked.warnings, ...admissionWarnings];

  if (old) {
    if (!rt.builtin || rt.storageKey === crdResourceKey) {
      const previousGeneration = old.metadata.generation ?? 1;
      next.metadata.generation = isDeepStrictEqual(specPart(next), specPart(old))
        ? previousGeneration
        : previousGeneration + 1;
    }
    if (isDeepStrictEqual(withoutVolatile(next), withoutVolatile(old))) {
      // A no-op write changes nothing, not even the resourceVersion — as on the real server.
      return { object: old, warnings, created: false };
    }
  } else {
    next.metadata.uid = randomUUID();
    next.metadata.creationTimestamp = timestamp(ctx);
    delete next.metadata.deletionTimestamp;
    if (!rt.builtin || rt.storageKey === crdResourceKey) next.metadata.generation = 1;
    else delete next.metadata.generation;
    if (rt.storageKey === namespaceResourceKey) {
      // As the real server's PrepareForCreate: the namespace controller's finalizer, always.
      next['spec'] = { ...((next['spec'] as object | undefined) ?? {}), finalizers: ['kubernetes'] };
      next['status'] = { phase: 'Active' };
    }
  }
  if (opts.dryRun) {
    return {
      object: {
        ...next,
        metadata: { ...next.metadata, resourceVersion: old?.metadata.resourceVersion ?? '' },
      },
      warnings,
      created: !old,
    };
  }
  const current = ctx.store.get(rt.storageKey, next.metadata.namespace ?? '', name)?.obj;
  if (current !== old) {
    if (!old) throw alreadyExists(refOf(rt), name);
    throw new StaleReadError(refOf(rt), name);
  }
  if (old && next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
    await removeObject(ctx, rt, next);
    return { object: next, warnings, created: false };
  }
  if (old && old.metadata.deletionTimestamp && next.metadata.finalizers) {
    // Finalizers may only be removed once deletion started, never added.
    const added = next.metadata.finalizers.filter((f) => !(old.metadata.finalizers ?? []).includes(f));
    if (added.length) {
      throw invalid(refOf(rt), rt.kind, name, [
        {
          reason: 'FieldValueForbidden',
          field: 'metadata.finalizers',
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        },
      ]);
    }
  }
  next.metadata.resourceVersion = String(ctx.store.nextResourceVersion());
  const durable = ctx.store.write(rt.storageKey, next);
  afterWrite(ctx, rt, next, old);
  await durable;
  return { object: next, warnings, created: !old };
}

function afterWrite(ctx: ApiContext, rt: ResourceType, obj: KubeObject, old: KubeObject | undefined): void {
  if (rt.storageKey === crdResourceKey) ctx.registry.registerCrd(obj);
  const uid = obj.metadata.uid ?? '';
  const finalizers = obj.metadata.finalizers ?? [];
  if (
    obj.metadata.deletionTimestamp &&
    (finalizers.includes('foregroundDeletion') || finalizers.includes('orphan'))
  ) {
    ctx.enqueueGc(uid);
  }
  if (rt.storageKey === namespaceResourceKey && obj.metadata.deletionTimestamp)
    ctx.enqueueNamespace(obj.metadata.name ?? '');
  const ownersChanged = !isDeepStrictEqual(obj.metadata.ownerReferences, old?.metadata.ownerReferences);
  if (ownersChanged) for (const owner of obj.metadata.ownerReferences ?? []) ctx.enqueueGc(owner.uid);
}

/** Takes an object out of the store for good and sets off what follows (GC, CRD removal, namespace cleanup). */
export async function removeObject(ctx: ApiContext, rt: ResourceType, obj: KubeObject): Promise<void> {
  const final: KubeObject = {
    ...obj,
    metadata: { ...obj.metadata, resourceVersion: String(ctx.store.nextResourceVersion()) },
  };
  const durable = ctx.store.delete(rt.storageKey, final);
  const waits: Array<Promise<void>> = [durable];
  if (rt.storageKey === crdResourceKey) {
    const key = ctx.registry.unregisterCrd(obj.metadata.name ?? '');
    if (key) waits.push(ctx.store.dropResource(key, () => ctx.store.nextResourceVersion()));
  }
  ctx.enqueueGc(obj.metadata.uid ?? '');
  for (const owner of obj.metadata.ownerReferences ?? []) ctx.enqueueGc(owner.uid);
  if (rt.namespaced && obj.metadata.namespace) ctx.enqueueNamespace(obj.metadata.namespace);
  await Promise.all(waits);
}
