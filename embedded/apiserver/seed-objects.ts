/**
 * Bulk seeding: objects written straight into the store (and its write-ahead log) through the
 * same write pipeline an HTTP create + status write takes — schema check (prune, default,
 * validate), admission, system metadata, resourceVersion, WAL — without an HTTP round trip per
 * object. Writes of one ownership depth go together, so the WAL's group commit makes one fsync
 * cover many of them: a fleet of hundreds of thousands of objects loads in minutes.
 *
 * Like `kubectl create` followed by a status write: the server assigns UIDs; ownerReferences in
 * the input name the input's own UIDs and are rewritten to the assigned ones (owners first).
 */
import type { KubeObject } from './admission.ts';
import type { ApiContext } from './api-context.ts';
import { StatusError } from './errors.ts';
import type { ResourceType } from './resource-type.ts';
import { persist, type WriteOptions } from './write-pipeline.ts';

export interface SeedResult {
  objects: number;
  /** Writes that reached the store (a create, plus a status write for objects that have one). */
  writes: number;
  /** Objects the pipeline refused, with why (nothing of them is stored). */
  rejected: Array<{ object: string; message: string }>;
}

/** Objects written concurrently: enough for group commit, few enough to bound memory. */
const batchSize = 2000;

const createOptions: WriteOptions = { fieldValidation: 'Strict', dryRun: false };

function describe(o: KubeObject): string {
  const ns = o.metadata.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.kind} ${ns}${o.metadata.name ?? ''}`;
}

/** The served type for an object's apiVersion and kind (its main resource, not a subresource). */
function typeOf(ctx: ApiContext, object: KubeObject): ResourceType | undefined {
  return ctx.registry.resourcesOf(object.apiVersion).find((rt) => rt.kind === object.kind);
}

/** Kinds other objects live in or are served by: written before everything else. */
const foundations = new Set(['Namespace', 'CustomResourceDefinition']);

/**
 * Depth in the ownership tree (within the input), after namespaces and CRDs: objects of one
 * depth can be written together.
 */
function depths(objects: KubeObject[]): number[] {
  const byUid = new Map<string, number>();
  objects.forEach((o, i) => {
    if (o.metadata.uid) byUid.set(o.metadata.uid, i);
  });
  const depth: Array<number | undefined> = new Array(objects.length);
  const of = (i: number, seen: number): number => {
    const known = depth[i];
    if (known !== undefined) return known;
    let d = foundations.has(objects[i]!.kind) ? 0 : 1;
    // An ownership cycle in the input cannot be ordered: its objects go at the depth reached.
    if (seen < objects.length) {
      for (const ref of objects[i]!.metadata.ownerReferences ?? []) {
        const owner = byUid.get(ref.uid);
        if (owner !== undefined && owner !== i) d = Math.max(d, 1 + of(owner, seen + 1));
      }
    }
    depth[i] = d;
    return d;
  };
  return objects.map((_, i) => of(i, 0));
}

async function writeOne(ctx: ApiContext, input: KubeObject, uids: Map<string, string>): Promise<number> {
  const rt = typeOf(ctx, input);
  if (!rt) throw new StatusError(404, 'NotFound', `no resource serves ${input.apiVersion} ${input.kind}`);
  const { status, ...rest } = structuredClone(input);
  const { uid: givenUid, resourceVersion: _rv, ...metadata } = rest.metadata;
  const ownerReferences = metadata.ownerReferences?.map((r) => ({ ...r, uid: uids.get(r.uid) ?? r.uid }));
  const body: KubeObject = {
    ...rest,
    metadata: { ...metadata, ...(ownerReferences ? { ownerReferences } : {}) },
    ...(rt.status ? {} : status === undefined ? {} : { status }),
  };
  const created = await persist(ctx, rt, body, undefined, createOptions);
  if (givenUid && created.object.metadata.uid) uids.set(givenUid, created.object.metadata.uid);
  if (!rt.status || status === undefined) return 1;
  const withStatus: KubeObject = { ...structuredClone(created.object), status: structuredClone(status) };
  const stored = ctx.store.get(
    rt.storageKey,
    created.object.metadata.namespace ?? '',
    created.object.metadata.name ?? '',
  )?.obj;
  await persist(ctx, rt, withStatus, stored, { ...createOptions, subresource: 'status' });
  return 2;
}

/** Writes `objects` through the pipeline, owners before their dependents. */
export async function seedObjects(ctx: ApiContext, objects: KubeObject[]): Promise<SeedResult> {
  const result: SeedResult = { objects: 0, writes: 0, rejected: [] };
  const depthOf = depths(objects);
  const maxDepth = Math.max(0, ...depthOf);
  const uids = new Map<string, string>();
  for (let d = 0; d <= maxDepth; d++) {
    const level = objects.filter((_, i) => depthOf[i] === d);
    for (let start = 0; start < level.length; start += batchSize) {
      const batch = level.slice(start, start + batchSize);
      const outcomes = await Promise.allSettled(batch.map((o) => writeOne(ctx, o, uids)));
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') {
          result.objects++;
          result.writes += outcome.value;
        } else {
          const reason = outcome.reason as unknown;
          result.rejected.push({
            object: describe(batch[i]!),
            message: reason instanceof Error ? reason.message : String(reason),
          });
        }
      });
    }
  }
  return result;
}
