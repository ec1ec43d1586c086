/** List responses: selectors, limit/continue, Tables and metadata-only lists, serialised once. */
import type { KubeObject } from './admission.ts';
import type { ApiContext } from './api-context.ts';
import { badRequest } from './errors.ts';
import { apiVersionOf, served, type ResourceType } from './resource-type.ts';
import { toTable } from './schema-adapter.ts';
import { parseFieldSelector, parseLabelSelector, type Selector } from './selectors.ts';
import type { StoredObject } from './store.ts';

export type Representation =
  { as: 'object' } | { as: 'table'; includeObject: 'None' | 'Metadata' | 'Object' } | { as: 'metadata' };

/** What the client asked for in `Accept` (Table / PartialObjectMetadata / plain). */
export function representationOf(accept: string | undefined, query: URLSearchParams): Representation {
  const first = (accept ?? '')
    .split(',')
    .map((a) => a.trim())
    .find((a) => a.includes('as='));
  if (first?.includes('as=Table')) {
    const include = query.get('includeObject') ?? 'Metadata';
    if (include !== 'None' && include !== 'Metadata' && include !== 'Object')
      throw badRequest(`includeObject: Unsupported value: "${include}"`);
    return { as: 'table', includeObject: include };
  }
  if (first?.includes('as=PartialObjectMetadata')) return { as: 'metadata' };
  return { as: 'object' };
}

export function selectorsOf(rt: ResourceType, query: URLSearchParams): Selector {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'), rt.selectableFields);
  return (obj) => labels(obj) && fields(obj);
}

interface ContinueToken {
  ns: string;
  name: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof parsed.ns !== 'string' || typeof parsed.name !== 'string') throw new Error('bad token');
    return parsed;
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

function after(obj: KubeObject, token: ContinueToken): boolean {
  const ns = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  return ns > token.ns || (ns === token.ns && name > token.name);
}

export function selectObjects(
  ctx: ApiContext,
  rt: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
): {
  items: StoredObject[];
  continueToken?: string;
  remaining?: number;
} {
  const selector = selectorsOf(rt, query);
  const limitText = query.get('limit');
  const limit = limitText ? Number(limitText) : 0;
  if (limitText && (!Number.isInteger(limit) || limit < 0))
    throw badRequest(`limit: Invalid value: "${limitText}"`);
  const continueText = query.get('continue');
  const token = continueText ? decodeContinue(continueText) : undefined;
  const all = ctx.store.list(rt.storageKey, rt.namespaced ? namespace : undefined);
  const items: StoredObject[] = [];
  let index = 0;
  for (; index < all.length; index++) {
    const stored = all[index]!;
    if (token && !after(stored.obj, token)) continue;
    if (!selector(stored.obj)) continue;
    if (limit > 0 && items.length === limit) break;
    items.push(stored);
  }
  if (limit > 0 && index < all.length) {
    const last = items[items.length - 1]!.obj;
    const remaining = all.slice(index).filter((s) => selector(s.obj)).length;
    if (remaining > 0) {
      return {
        items,
        continueToken: Buffer.from(
          JSON.stringify({ ns: last.metadata.namespace ?? '', name: last.metadata.name ?? '' }),
        ).toString('base64url'),
        remaining,
      };
    }
  }
  return { items };
}

function metadataOnly(obj: KubeObject): KubeObject {
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: obj.metadata };
}

export function tableOf(
  rt: ResourceType,
  objects: KubeObject[],
  includeObject: 'None' | 'Metadata' | 'Object',
  rv: number,
): string {
  const withVersion = objects.map((stored) => {
    const o = served(rt, stored);
    return o.apiVersion === apiVersionOf(rt) ? o : { ...o, apiVersion: apiVersionOf(rt) };
  });
  const table = toTable(rt.crd, rt.version, withVersion, { includeObject });
  table.metadata = { ...table.metadata, resourceVersion: String(rv) };
  return JSON.stringify(table);
}

/** The list body as a string; items are concatenated from each object's cached JSON. */
export function listBody(
  ctx: ApiContext,
  rt: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
  representation: Representation,
): string {
  const { items, continueToken, remaining } = selectObjects(ctx, rt, namespace, query);
  const rv = String(ctx.store.resourceVersion);
  const apiVersion = apiVersionOf(rt);
  if (representation.as === 'table') {
    const text = tableOf(
      rt,
      items.map((s) => s.obj),
      representation.includeObject,
      ctx.store.resourceVersion,
    );
    if (!continueToken) return text;
    const table = JSON.parse(text) as { metadata: Record<string, unknown> };
    table.metadata['continue'] = continueToken;
    table.metadata['remainingItemCount'] = remaining;
    return JSON.stringify(table);
  }
  const metadata = JSON.stringify({
    resourceVersion: rv,
    ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}),
  });
  if (representation.as === 'metadata') {
    const body = items.map((s) => JSON.stringify(metadataOnly(s.obj))).join(',');
    return `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":${metadata},"items":[${body}]}`;
  }
  const body = items
    .map((s) => (rt.conversion ? JSON.stringify(rt.conversion.fromStorage(s.obj)) : s.serialize(apiVersion)))
    .join(',');
  return `{"kind":${JSON.stringify(rt.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${metadata},"items":[${body}]}`;
}

export function objectBody(
  rt: ResourceType,
  obj: KubeObject,
  representation: Representation,
  rv: number,
): string {
  if (representation.as === 'table') return tableOf(rt, [obj], representation.includeObject, rv);
  if (representation.as === 'metadata') return JSON.stringify(metadataOnly(obj));
  const apiVersion = apiVersionOf(rt);
  const view = served(rt, obj);
  return JSON.stringify(view.apiVersion === apiVersion ? view : { ...view, apiVersion });
}
