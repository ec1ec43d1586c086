/**
 * Server-side apply and managedFields, coarsely: field ownership is tracked per leaf field;
 * lists are atomic except `x-kubernetes-list-type: map` lists, whose items are owned (and merged)
 * one by one by their keys. An apply merges the applied configuration into the live object,
 * removes what the manager applied before and no longer applies (unless someone else owns it),
 * and reports conflicts with other managers that own a field it would change (409 unless
 * `force`). See KNOWN_DIFFERENCES.md.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AdmissionCause, KubeObject } from './admission.ts';
import { StatusError } from './errors.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** Keys of the `x-kubernetes-list-type: map` list at a field path (list items not counted), if it is one. */
export type ListMapKeys = (fieldPath: string[]) => string[] | undefined;

/** A path segment: a field name, or (starting with `itemMark`) the JSON of a list item's keys. */
type Path = string[];
const itemMark = '\u0002';
const separator = '\u0001';
const trackedMetadata = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);
const noListMaps: ListMapKeys = () => undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function itemKey(item: unknown, keys: string[]): string | undefined {
  if (!isObject(item)) return undefined;
  const picked: Record<string, unknown> = {};
  for (const key of [...keys].sort()) if (item[key] !== undefined) picked[key] = item[key];
  return itemMark + JSON.stringify(picked);
}

function findItem(list: unknown[], segment: string): number {
  const wanted = JSON.parse(segment.slice(1)) as Record<string, unknown>;
  const keys = Object.keys(wanted);
  return list.findIndex((item) => isObject(item) && keys.every((k) => isDeepStrictEqual(item[k], wanted[k])));
}

function leafPaths(
  value: unknown,
  prefix: Path,
  fieldPath: string[],
  listKeys: ListMapKeys,
  out: Path[],
): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value))
      leafPaths(v, [...prefix, k], [...fieldPath, k], listKeys, out);
    return;
  }
  const keys = Array.isArray(value) ? listKeys(fieldPath) : undefined;
  if (keys && Array.isArray(value) && value.length > 0) {
    for (const item of value) {
      const segment = itemKey(item, keys);
      out.push(segment ? [...prefix, segment] : prefix);
    }
    return;
  }
  out.push(prefix);
}

/** Every kind's ownerReferences are a list keyed by uid. */
function withMetadataKeys(listKeys: ListMapKeys): ListMapKeys {
  return (path) =>
    path.length === 2 && path[0] === 'metadata' && path[1] === 'ownerReferences' ? ['uid'] : listKeys(path);
}

/** Leaf paths an object sets, leaving out identity and system metadata. */
export function fieldPaths(obj: Record<string, unknown>, schemaKeys: ListMapKeys = noListMaps): Path[] {
  const out: Path[] = [];
  const listKeys = withMetadataKeys(schemaKeys);
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'metadata') {
      if (!isObject(v)) continue;
      for (const [mk, mv] of Object.entries(v)) {
        if (trackedMetadata.has(mk)) leafPaths(mv, ['metadata', mk], ['metadata', mk], listKeys, out);
      }
      continue;
    }
    leafPaths(v, [k], [k], listKeys, out);
  }
  return out;
}

function toFieldsV1(paths: Path[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const part of path) {
      const key = part.startsWith(itemMark) ? `k:${part.slice(1)}` : `f:${part}`;
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
  }
  return root;
}

function fromFieldsV1(tree: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (!isObject(tree)) return out;
  const children = Object.entries(tree).filter(([k]) => k.startsWith('f:') || k.startsWith('k:'));
  if (children.length === 0 && prefix.length) out.push(prefix);
  for (const [k, v] of children)
    fromFieldsV1(v, [...prefix, k.startsWith('k:') ? itemMark + k.slice(2) : k.slice(2)], out);
  return out;
}

function get(obj: unknown, path: Path): unknown {
  let current = obj;
  for (const part of path) {
    if (part.startsWith(itemMark)) {
      if (!Array.isArray(current)) return undefined;
      const index = findItem(current, part);
      current = index >= 0 ? current[index] : undefined;
    } else {
      if (!isObject(current)) return undefined;
      current = current[part];
    }
  }
  return current;
}

/** Whether `applied` (an applied item or value) already holds in `live`: every field it sets is equal. */
function holds(live: unknown, applied: unknown): boolean {
  if (isObject(applied) && isObject(live))
    return Object.entries(applied).every(([k, v]) => holds(live[k], v));
  return isDeepStrictEqual(live, applied);
}

function remove(obj: Record<string, unknown>, path: Path): void {
  const parents: Array<Record<string, unknown> | unknown[]> = [];
  let current: unknown = obj;
  for (const part of path.slice(0, -1)) {
    if (part.startsWith(itemMark)) {
      if (!Array.isArray(current)) return;
      parents.push(current);
      current = current[findItem(current, part)];
    } else {
      if (!isObject(current)) return;
      parents.push(current);
      current = current[part];
    }
  }
  const last = path[path.length - 1]!;
  if (last.startsWith(itemMark)) {
    if (!Array.isArray(current)) return;
    const index = findItem(current, last);
    if (index >= 0) current.splice(index, 1);
    return;
  }
  if (!isObject(current)) return;
  delete current[last];
  // Drop maps the removal emptied, as a merge would.
  for (let i = parents.length - 1; i > 0; i--) {
    const parent = parents[i]!;
    const segment = path[i]!;
    if (Array.isArray(parent) || segment.startsWith(itemMark)) break;
    const child = parent[segment];
    if (isObject(child) && Object.keys(child).length === 0) delete parent[segment];
    else break;
  }
}

function deepMerge(live: unknown, applied: unknown, fieldPath: string[], listKeys: ListMapKeys): unknown {
  const keys = Array.isArray(applied) && Array.isArray(live) ? listKeys(fieldPath) : undefined;
  if (keys && Array.isArray(applied) && Array.isArray(live)) {
    const out = [...live];
    for (const item of applied) {
      const segment = itemKey(item, keys);
      const index = segment ? findItem(out, segment) : -1;
      if (index >= 0) out[index] = deepMerge(out[index], item, fieldPath, listKeys);
      else out.push(structuredClone(item));
    }
    return out;
  }
  if (!isObject(applied) || !isObject(live)) return structuredClone(applied);
  const out: Record<string, unknown> = { ...live };
  for (const [k, v] of Object.entries(applied)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(live[k], v, [...fieldPath, k], listKeys);
  }
  return out;
}

function entriesOf(obj: KubeObject | undefined): ManagedFieldsEntry[] {
  const entries = obj?.metadata['managedFields'];
  return Array.isArray(entries) ? (structuredClone(entries) as ManagedFieldsEntry[]) : [];
}

const keyOf = (path: Path) => path.join(separator);

function withoutPaths(
  entries: ManagedFieldsEntry[],
  drop: Set<string>,
  except: (e: ManagedFieldsEntry) => boolean,
): ManagedFieldsEntry[] {
  return entries
    .map((e) => {
      if (except(e)) return e;
      const kept = fromFieldsV1(e.fieldsV1).filter((p) => !drop.has(keyOf(p)));
      return { ...e, fieldsV1: toFieldsV1(kept) };
    })
    .filter((e) => Object.keys(e.fieldsV1).length > 0);
}

function sameSubresource(e: ManagedFieldsEntry, subresource: string | undefined): boolean {
  return (e.subresource ?? '') === (subresource ?? '');
}

/** Records the fields an Update operation changed as owned by `manager`. */
export function recordUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string,
  apiVersion: string,
  time: string,
  subresource?: string,
  listKeys: ListMapKeys = noListMaps,
): void {
  const entries = entriesOf(old);
  const changed = fieldPaths(next, listKeys).filter(
    (p) => !old || !isDeepStrictEqual(get(old, p), get(next, p)),
  );
  if (changed.length === 0 && old) {
    next.metadata['managedFields'] = entries;
    return;
  }
  const changedKeys = new Set(changed.map(keyOf));
  const isMine = (e: ManagedFieldsEntry) =>
    e.manager === manager && e.operation === 'Update' && sameSubresource(e, subresource);
  const others = withoutPaths(entries, changedKeys, isMine).filter((e) => !isMine(e));
  const mine = entries.find(isMine);
  const owned = new Map([...(mine ? fromFieldsV1(mine.fieldsV1) : []), ...changed].map((p) => [keyOf(p), p]));
  // Fields that no longer exist are owned by nobody.
  const present = [...owned.values()].filter((p) => get(next, p) !== undefined);
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Update',
    apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(present),
    ...(subresource ? { subresource } : {}),
  };
  next.metadata['managedFields'] = Object.keys(entry.fieldsV1).length ? [...others, entry] : others;
}

/** Merges an applied configuration into `live` (undefined = create) for `manager`. */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  apiVersion: string,
  time: string,
  subresource?: string,
  listKeys: ListMapKeys = noListMaps,
): KubeObject {
  const entries = entriesOf(live);
  const appliedPaths = fieldPaths(applied, listKeys);
  const appliedKeys = new Set(appliedPaths.map(keyOf));
  const isMine = (e: ManagedFieldsEntry) =>
    e.manager === manager && e.operation === 'Apply' && sameSubresource(e, subresource);
  const conflicts: AdmissionCause[] = [];
  if (live) {
    for (const entry of entries) {
      if (isMine(entry)) continue;
      for (const path of fromFieldsV1(entry.fieldsV1)) {
        if (appliedKeys.has(keyOf(path)) && !holds(get(live, path), get(applied, path))) {
          conflicts.push({
            reason: 'FieldManagerConflict',
            message: `conflict with "${entry.manager}"${entry.operation === 'Update' ? ` using ${entry.apiVersion}` : ''}`,
            field: `.${path.map((p) => (p.startsWith(itemMark) ? `[${p.slice(1)}]` : p)).join('.')}`,
          });
        }
      }
    }
  }
  if (conflicts.length && !force) {
    const list = conflicts.map((c) => `- ${c.message}: ${c.field}`).join('\n');
    throw new StatusError(
      409,
      'Conflict',
      `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.length === 1 ? `${conflicts[0]!.message}: ${conflicts[0]!.field}` : '\n' + list}`,
      {
        ...(applied.metadata.name ? { name: applied.metadata.name } : {}),
        causes: conflicts.map((c) => ({ ...c, message: `${c.message}: ${c.field}` })),
      },
    );
  }
  const result = deepMerge(live ?? {}, applied, [], withMetadataKeys(listKeys)) as KubeObject;
  const mine = entries.find(isMine);
  const ownedByOthers = new Set(
    entries.filter((e) => !isMine(e)).flatMap((e) => fromFieldsV1(e.fieldsV1).map(keyOf)),
  );
  for (const path of mine ? fromFieldsV1(mine.fieldsV1) : []) {
    const key = keyOf(path);
    if (!appliedKeys.has(key) && !ownedByOthers.has(key)) remove(result as Record<string, unknown>, path);
  }
  // Forced: whoever owned a field the apply took over loses it.
  const others = force
    ? withoutPaths(entries, appliedKeys, isMine).filter((e) => !isMine(e))
    : entries.filter((e) => !isMine(e));
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedPaths),
    ...(subresource ? { subresource } : {}),
  };
  result.metadata = { ...(result.metadata ?? {}), managedFields: [...others, entry] };
  return result;
}
