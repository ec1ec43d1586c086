/**
 * Patch types: JSON merge (RFC 7386), JSON patch (RFC 6902) and strategic merge for the
 * built-in kinds. Server-side apply lives in server-side-apply.ts.
 */
import jsonMergePatch from 'json-merge-patch';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { badRequest, StatusError, unsupportedMediaType } from './errors.ts';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  switch (media) {
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/json-patch+json':
      return 'json';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw unsupportedMediaType(media || '(none)');
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function applyMergePatch(live: object, patch: unknown): object {
  if (!isObject(patch)) throw badRequest('the patch must be a JSON object');
  return jsonMergePatch.apply(structuredClone(live), patch) as object;
}

export function applyJsonPatch(live: object, patch: unknown): object {
  if (!Array.isArray(patch)) throw badRequest('json patch must be a list of operations');
  const error = fastJsonPatch.validate(patch as Operation[], structuredClone(live));
  if (error) {
    if (error.name === 'TEST_OPERATION_FAILED') {
      throw new StatusError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: ${error.message.split('\n')[0]}`,
      );
    }
    throw new StatusError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${error.message.split('\n')[0]}`,
    );
  }
  try {
    return fastJsonPatch.applyPatch(structuredClone(live), patch as Operation[], true, false, true)
      .newDocument;
  } catch (e) {
    throw new StatusError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${String((e as Error).message).split('\n')[0]}`,
    );
  }
}

/** Lists merged by a key instead of replaced (the metadata lists every kind shares). */
const mergeKeys: Record<string, string | undefined> = {
  ownerReferences: 'uid',
  finalizers: undefined,
  managedFields: undefined,
};
const primitiveMergeLists = new Set(['finalizers']);

function strategicMerge(live: Json, patch: Json, fieldName: string | undefined): Json {
  if (!isObject(patch)) return patch;
  if (patch['$patch'] === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return stripDirectives(rest as Json);
  }
  if (patch['$patch'] === 'delete') return null;
  const result: Record<string, Json> = isObject(live) ? { ...(live as Record<string, Json>) } : {};
  const retain = patch['$retainKeys'];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys' || key === '$patch') continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const target = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[target];
      if (Array.isArray(current) && Array.isArray(value))
        result[target] = current.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = result[key];
    if (Array.isArray(value) && Array.isArray(current) && key in mergeKeys) {
      result[key] = mergeList(current, value, key);
    } else if (isObject(value)) {
      const merged = strategicMerge(current ?? null, value, key);
      if (merged === null) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = stripDirectives(value);
    }
  }
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  void fieldName;
  return result;
}

function mergeList(current: Json[], patch: Json[], key: string): Json[] {
  if (primitiveMergeLists.has(key)) {
    const out = [...current];
    for (const item of patch) if (!out.includes(item)) out.push(item);
    return out;
  }
  const mergeKey = mergeKeys[key];
  if (!mergeKey) return patch.map(stripDirectives);
  const out = [...current];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex((c) => isObject(c) && c[mergeKey] === item[mergeKey]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) out[index] = strategicMerge(out[index]!, item, undefined);
    else out.push(stripDirectives(item));
  }
  return out;
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v as Json);
  return out;
}

export function applyStrategicMergePatch(live: object, patch: unknown): object {
  if (!isObject(patch)) throw badRequest('the patch must be a JSON object');
  return strategicMerge(structuredClone(live) as Json, patch as Json, undefined) as object;
}
