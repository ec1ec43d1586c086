/**
 * Server-side apply and managedFields, coarsely: field ownership is tracked per leaf field
 * (lists are atomic), an apply merges the applied configuration into the live object, removes
 * fields the manager applied before and no longer applies (unless someone else owns them), and
 * reports conflicts with other managers that own a field it would change (409 unless `force`).
 * See KNOWN_DIFFERENCES.md.
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

type Path = string[];
const separator = '\u0001';
const trackedMetadata = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function leafPaths(value: unknown, prefix: Path, out: Path[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leafPaths(v, [...prefix, k], out);
  } else out.push(prefix);
}

/** Leaf paths an object sets, leaving out identity and system metadata. */
export function fieldPaths(obj: Record<string, unknown>): Path[] {
  const out: Path[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (k === 'metadata') {
      if (!isObject(v)) continue;
      for (const [mk, mv] of Object.entries(v))
        if (trackedMetadata.has(mk)) leafPaths(mv, ['metadata', mk], out);
      continue;
    }
    leafPaths(v, [k], out);
  }
  return out;
}

function toFieldsV1(paths: Path[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const part of path) {
      const key = `f:${part}`;
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
  }
  return root;
}

function fromFieldsV1(tree: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (!isObject(tree)) return out;
  const children = Object.entries(tree).filter(([k]) => k.startsWith('f:'));
  if (children.length === 0 && prefix.length) out.push(prefix);
  for (const [k, v] of children) fromFieldsV1(v, [...prefix, k.slice(2)], out);
  return out;
}

function get(obj: unknown, path: Path): unknown {
  let current = obj;
  for (const part of path) {
    if (!isObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

function remove(obj: Record<string, unknown>, path: Path): void {
  const parents: Array<Record<string, unknown>> = [];
  let current: unknown = obj;
  for (const part of path.slice(0, -1)) {
    if (!isObject(current)) return;
    parents.push(current);
    current = current[part];
  }
  if (!isObject(current)) return;
  delete current[path[path.length - 1]!];
  // Drop maps the removal emptied, as a merge would.
  for (let i = parents.length - 1; i >= 0; i--) {
    const child = parents[i]![path[i]!];
    if (isObject(child) && Object.keys(child).length === 0 && i > 0) delete parents[i]![path[i]!];
    else break;
  }
}

function deepMerge(live: unknown, applied: unknown): unknown {
  if (!isObject(applied) || !isObject(live)) return structuredClone(applied);
  const out: Record<string, unknown> = { ...live };
  for (const [k, v] of Object.entries(applied)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(live[k], v);
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
): void {
  const entries = entriesOf(old);
  const changed = fieldPaths(next).filter((p) => !old || !isDeepStrictEqual(get(old, p), get(next, p)));
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
): KubeObject {
  const entries = entriesOf(live);
  const appliedPaths = fieldPaths(applied);
  const appliedKeys = new Set(appliedPaths.map(keyOf));
  const isMine = (e: ManagedFieldsEntry) =>
    e.manager === manager && e.operation === 'Apply' && sameSubresource(e, subresource);
  const conflicts: AdmissionCause[] = [];
  if (live) {
    for (const entry of entries) {
      if (isMine(entry)) continue;
      for (const path of fromFieldsV1(entry.fieldsV1)) {
        if (appliedKeys.has(keyOf(path)) && !isDeepStrictEqual(get(live, path), get(applied, path))) {
          conflicts.push({
            reason: 'FieldManagerConflict',
            message: `conflict with "${entry.manager}"${entry.operation === 'Update' ? ` using ${entry.apiVersion}` : ''}`,
            field: `.${path.join('.')}`,
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
  const result = deepMerge(live ?? {}, applied) as KubeObject;
  const mine = entries.find(isMine);
  const ownedByOthers = new Set(
    entries.filter((e) => !isMine(e)).flatMap((e) => fromFieldsV1(e.fieldsV1).map(keyOf)),
  );
  for (const path of mine ? fromFieldsV1(mine.fieldsV1) : []) {
    const key = keyOf(path);
    if (!appliedKeys.has(key) && !ownedByOthers.has(key)) remove(result as Record<string, unknown>, path);
  }
  // Whoever owned a field the apply took over (forced or same value) shares or loses it; forced = loses.
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
