/** The verbs on one resource route: get, list, watch, create, update, patch, delete, deletecollection. */
import type { ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import type { KubeObject } from './admission.ts';
import { timestamp, type ApiContext } from './api-context.ts';
import { authorizeCreateByApply } from './auth/create-by-apply.ts';
import { deleteObject, parseDeleteOptions } from './delete.ts';
import {
  retryOnStale,
  alreadyExists,
  badRequest,
  invalid,
  methodNotAllowed,
  notFound,
  notFoundPath,
  unsupportedMediaType,
} from './errors.ts';
import { sendJson, warningHeaders } from './http-io.ts';
import { listBody, objectBody, representationOf, selectObjects } from './list.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, patchTypeOf } from './patch.ts';
import {
  decodeBody,
  decodeObject,
  defaultManager,
  dryRunOf,
  fieldManagerOf,
  fieldValidationOf,
  header,
  type ApiRequest,
} from './request.ts';
import { apiVersionOf, served, type ResourceType } from './resource-type.ts';
import { listMapKeysFor } from './list-map-keys.ts';
import { objectKey } from './object-locks.ts';
import { fromScale, toScale } from './scale.ts';
import { recordUpdate, serverSideApply } from './server-side-apply.ts';
import { serveWatch } from './watch.ts';
import { persist, refOf, storageTypeOf, type WriteOptions } from './write-pipeline.ts';

export interface ResourceRoute {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface Responder {
  res: ServerResponse;
  onClose(fn: () => void): void;
}

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += nameAlphabet[randomInt(nameAlphabet.length)];
  return prefix + suffix;
}

function send(r: Responder, code: number, body: string, warnings: string[] = []): void {
  sendJson(r.res, code, body, warningHeaders(warnings));
}

function isWatch(req: ApiRequest): boolean {
  const w = req.query.get('watch');
  return w === 'true' || w === '1';
}

function storedOrThrow(ctx: ApiContext, route: ResourceRoute): KubeObject {
  const stored = ctx.store.get(route.rt.storageKey, route.namespace ?? '', route.name ?? '');
  if (!stored) throw notFound(refOf(route.rt), route.name ?? '');
  return stored.obj;
}

/** Checks a body's apiVersion/kind/name/namespace against the URL and fills what is missing. */
function reconcileIdentity(route: ResourceRoute, obj: KubeObject, requireName: boolean): void {
  const { rt } = route;
  const apiVersion = apiVersionOf(rt);
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== rt.kind) {
    throw badRequest(
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${rt.kind})`,
    );
  }
  if (rt.namespaced) {
    const ns = obj.metadata.namespace;
    if (ns && route.namespace !== undefined && ns !== route.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = route.namespace ?? ns;
  } else delete obj.metadata.namespace;
  if (route.name !== undefined) {
    const name = obj.metadata.name;
    if (name !== undefined && name !== route.name) {
      throw badRequest(`the name of the object (${name}) does not match the name on the URL (${route.name})`);
    }
    obj.metadata.name = route.name;
  }
  if (requireName && !obj.metadata.name) {
    if (obj.metadata.generateName) obj.metadata.name = generateName(obj.metadata.generateName);
    else {
      throw invalid(refOf(rt), rt.kind, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
  }
}

function writeOptions(req: ApiRequest, subresource?: 'status'): WriteOptions {
  return {
    fieldValidation: fieldValidationOf(req),
    dryRun: dryRunOf(req),
    ...(subresource ? { subresource } : {}),
    ...(req.user ? { user: req.user } : {}),
  };
}

async function create(ctx: ApiContext, route: ResourceRoute, req: ApiRequest, r: Responder): Promise<void> {
  const { rt } = route;
  if (rt.namespaced && route.namespace === undefined) throw methodNotAllowed('POST');
  const opts = writeOptions(req);
  const manager = fieldManagerOf(req) ?? defaultManager(req);
  const obj = decodeObject(req);
  reconcileIdentity(route, obj, true);
  if (ctx.store.get(rt.storageKey, obj.metadata.namespace ?? '', obj.metadata.name ?? '')) {
    throw alreadyExists(refOf(rt), obj.metadata.name ?? '');
  }
  delete obj.metadata.resourceVersion;
  delete obj.metadata.uid;
  recordUpdate(undefined, obj, manager, apiVersionOf(rt), timestamp(ctx), undefined, listMapKeysFor(rt));
  const result = await persist(ctx, rt, obj, undefined, opts);
  send(r, 201, objectBody(rt, result.object, { as: 'object' }, ctx.store.resourceVersion), result.warnings);
}

async function update(ctx: ApiContext, route: ResourceRoute, req: ApiRequest, r: Responder): Promise<void> {
  const { rt } = route;
  const opts = writeOptions(req, route.subresource === 'status' ? 'status' : undefined);
  const manager = fieldManagerOf(req) ?? defaultManager(req);
  const obj = decodeObject(req);
  reconcileIdentity(route, obj, false);
  const old = storedOrThrow(ctx, route);
  recordUpdate(
    served(rt, old),
    obj,
    manager,
    apiVersionOf(rt),
    timestamp(ctx),
    route.subresource,
    listMapKeysFor(rt),
  );
  const result = await persist(ctx, rt, obj, old, opts);
  send(r, 200, objectBody(rt, result.object, { as: 'object' }, ctx.store.resourceVersion), result.warnings);
}

async function patch(ctx: ApiContext, route: ResourceRoute, req: ApiRequest, r: Responder): Promise<void> {
  const { rt } = route;
  const type = patchTypeOf(header(req, 'content-type'));
  if (type === 'strategic' && !rt.builtin)
    throw unsupportedMediaType('application/strategic-merge-patch+json');
  const subresource = route.subresource === 'status' ? 'status' : undefined;
  const opts = writeOptions(req, subresource);
  const stored = ctx.store.get(rt.storageKey, route.namespace ?? '', route.name ?? '');
  const now = timestamp(ctx);
  if (type === 'apply') {
    const manager = fieldManagerOf(req);
    if (!manager)
      throw badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    const forceText = req.query.get('force');
    if (forceText !== null && forceText !== 'true' && forceText !== 'false')
      throw badRequest(`force: Invalid value: "${forceText}"`);
    const applied = decodeObject(req, true);
    reconcileIdentity(route, applied, false);
    if (applied.apiVersion === undefined || applied.kind === undefined) {
      throw badRequest('apiVersion and kind must be set in an applied configuration');
    }
    if (!stored && subresource) throw notFound(refOf(rt), route.name ?? '');
    const merged = serverSideApply(
      stored ? served(rt, stored.obj) : undefined,
      applied,
      manager,
      forceText === 'true',
      apiVersionOf(rt),
      now,
      subresource,
      listMapKeysFor(rt),
    );
    if (!stored) {
      authorizeCreateByApply(ctx.authorizer, req.user, route);
      delete merged.metadata.resourceVersion;
      const result = await persist(ctx, rt, merged, undefined, opts);
      send(
        r,
        201,
        objectBody(rt, result.object, { as: 'object' }, ctx.store.resourceVersion),
        result.warnings,
      );
      return;
    }
    if (applied.metadata.resourceVersion === undefined)
      merged.metadata.resourceVersion = stored.obj.metadata.resourceVersion;
    const result = await persist(ctx, rt, merged, stored.obj, opts);
    send(r, 200, objectBody(rt, result.object, { as: 'object' }, ctx.store.resourceVersion), result.warnings);
    return;
  }
  if (!stored) throw notFound(refOf(rt), route.name ?? '');
  const old = stored.obj;
  // Patches apply to the object as the client's version shows it (converted from storage).
  const view = served(rt, old);
  const body = decodeBody(req);
  const patched = (
    type === 'merge'
      ? applyMergePatch(view, body)
      : type === 'json'
        ? applyJsonPatch(view, body)
        : applyStrategicMergePatch(view, body)
  ) as KubeObject;
  if (
    typeof patched !== 'object' ||
    patched === null ||
    typeof patched.metadata !== 'object' ||
    patched.metadata === null
  ) {
    throw badRequest('the patch removed the object metadata');
  }
  if (
    patched.metadata.name !== old.metadata.name ||
    (patched.metadata.namespace ?? '') !== (old.metadata.namespace ?? '')
  ) {
    throw badRequest('the patch may not change the name or namespace of the object');
  }
  reconcileIdentity(route, patched, false);
  recordUpdate(
    view,
    patched,
    fieldManagerOf(req) ?? defaultManager(req),
    apiVersionOf(rt),
    now,
    route.subresource,
    listMapKeysFor(rt),
  );
  const result = await persist(ctx, rt, patched, old, opts);
  send(r, 200, objectBody(rt, result.object, { as: 'object' }, ctx.store.resourceVersion), result.warnings);
}

async function remove(ctx: ApiContext, route: ResourceRoute, req: ApiRequest, r: Responder): Promise<void> {
  const body = req.body.length ? decodeBody(req) : undefined;
  const options = { ...parseDeleteOptions(body, req.query), ...(req.user ? { user: req.user } : {}) };
  const result = await deleteObject(ctx, route.rt, route.namespace ?? '', route.name ?? '', options);
  send(r, 200, objectBody(route.rt, result.object, { as: 'object' }, ctx.store.resourceVersion));
}

async function removeCollection(
  ctx: ApiContext,
  route: ResourceRoute,
  req: ApiRequest,
  r: Responder,
): Promise<void> {
  const body = req.body.length ? decodeBody(req) : undefined;
  const options = { ...parseDeleteOptions(body, req.query), ...(req.user ? { user: req.user } : {}) };
  const { items } = selectObjects(ctx, route.rt, route.namespace, req.query);
  const deleted: KubeObject[] = [];
  for (const stored of items) {
    const obj = stored.obj;
    try {
      deleted.push(
        (await deleteObject(ctx, route.rt, obj.metadata.namespace ?? '', obj.metadata.name ?? '', options))
          .object,
      );
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && (error as { code: number }).code === 404))
        throw error;
    }
  }
  const apiVersion = apiVersionOf(route.rt);
  send(
    r,
    200,
    JSON.stringify({
      kind: route.rt.listKind,
      apiVersion,
      metadata: { resourceVersion: String(ctx.store.resourceVersion) },
      items: deleted.map((obj) => served(route.rt, obj)),
    }),
  );
}

async function scale(ctx: ApiContext, route: ResourceRoute, req: ApiRequest, r: Responder): Promise<void> {
  const { rt } = route;
  const spec = rt.scale;
  if (!spec) throw notFoundPath();
  const old = storedOrThrow(ctx, route);
  if (req.method === 'GET') {
    send(r, 200, JSON.stringify(toScale(spec, old)));
    return;
  }
  let body: KubeObject;
  if (req.method === 'PUT') body = decodeObject(req);
  else if (req.method === 'PATCH') {
    const type = patchTypeOf(header(req, 'content-type'));
    const current = toScale(spec, old);
    const raw = decodeBody(req, type === 'apply');
    body = (
      type === 'json'
        ? applyJsonPatch(current, raw)
        : type === 'apply'
          ? applyMergePatch(current, raw)
          : type === 'merge'
            ? applyMergePatch(current, raw)
            : applyStrategicMergePatch(current, raw)
    ) as KubeObject;
  } else throw methodNotAllowed(req.method);
  // Scale reads and writes the stored object: the replica paths are the same in every version.
  const target = storageTypeOf(ctx, rt);
  const next = fromScale(spec, old, body);
  recordUpdate(
    old,
    next,
    fieldManagerOf(req) ?? defaultManager(req),
    apiVersionOf(rt),
    timestamp(ctx),
    'scale',
    listMapKeysFor(rt),
  );
  const result = await persist(ctx, target, next, old, {
    ...writeOptions(req),
    scale: (obj) => toScale(spec, obj),
  });
  send(r, 200, JSON.stringify(toScale(spec, result.object)), result.warnings);
}

/** One writer at a time per object; a write that still lost a race is redone from the new state. */
function exclusive(ctx: ApiContext, route: ResourceRoute, work: () => Promise<void>): Promise<void> {
  return ctx.locks.run(objectKey(route.rt.storageKey, route.namespace, route.name), () => retryOnStale(work));
}

export async function handleResource(
  ctx: ApiContext,
  route: ResourceRoute,
  req: ApiRequest,
  r: Responder,
): Promise<void> {
  const { rt } = route;
  if (route.subresource !== undefined) {
    if (route.subresource === 'scale') return exclusive(ctx, route, () => scale(ctx, route, req, r));
    if (route.subresource !== 'status' || !rt.status) throw notFoundPath();
    if (req.method === 'GET') {
      send(r, 200, objectBody(rt, storedOrThrow(ctx, route), { as: 'object' }, ctx.store.resourceVersion));
      return;
    }
    if (req.method === 'PUT') return exclusive(ctx, route, () => update(ctx, route, req, r));
    if (req.method === 'PATCH') return exclusive(ctx, route, () => patch(ctx, route, req, r));
    throw methodNotAllowed(req.method);
  }
  if (route.name === undefined) {
    switch (req.method) {
      case 'GET':
        if (isWatch(req)) {
          serveWatch(
            ctx,
            rt,
            route.namespace,
            req.query,
            representationOf(header(req, 'accept'), req.query),
            r.res,
            r.onClose,
          );
          return;
        }
        send(
          r,
          200,
          listBody(ctx, rt, route.namespace, req.query, representationOf(header(req, 'accept'), req.query)),
        );
        return;
      case 'POST':
        return create(ctx, route, req, r);
      case 'DELETE':
        return removeCollection(ctx, route, req, r);
      default:
        throw methodNotAllowed(req.method);
    }
  }
  switch (req.method) {
    case 'GET': {
      if (isWatch(req)) {
        const query = new URLSearchParams(req.query);
        query.set(
          'fieldSelector',
          [query.get('fieldSelector'), `metadata.name=${route.name}`].filter(Boolean).join(','),
        );
        serveWatch(
          ctx,
          rt,
          route.namespace,
          query,
          representationOf(header(req, 'accept'), req.query),
          r.res,
          r.onClose,
        );
        return;
      }
      const obj = storedOrThrow(ctx, route);
      send(
        r,
        200,
        objectBody(rt, obj, representationOf(header(req, 'accept'), req.query), ctx.store.resourceVersion),
      );
      return;
    }
    case 'PUT':
      return exclusive(ctx, route, () => update(ctx, route, req, r));
    case 'PATCH':
      return exclusive(ctx, route, () => patch(ctx, route, req, r));
    case 'DELETE':
      return remove(ctx, route, req, r);
    default:
      throw methodNotAllowed(req.method);
  }
}
