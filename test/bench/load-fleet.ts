/**
 * Writes the bench fleet into a management cluster the way controllers leave it: create (the
 * server assigns UIDs; ownerReferences are rewritten to them, so the garbage collector sees
 * live owners), then the status through the status subresource, which a create drops.
 * Owners are written before their dependents; clusters load in parallel with bounded
 * concurrency over keep-alive connections.
 */
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import type { KubeHttp } from './kube-http.ts';

export interface LoadResult {
  objects: number;
  requests: number;
  ms: number;
}

function pathOf(object: KubeObject): string {
  const plural = `${object.kind.toLowerCase()}s`;
  return `/apis/${object.apiVersion}/namespaces/${object.metadata.namespace}/${plural}`;
}

/** Runs tasks with at most `limit` at a time. */
function limiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Depth in the ownership tree: objects of one depth can be written together. */
function depths(objects: KubeObject[]): Map<KubeObject, number> {
  const byUid = new Map(objects.map((o) => [o.metadata.uid, o]));
  const depth = new Map<KubeObject, number>();
  const of = (o: KubeObject): number => {
    const known = depth.get(o);
    if (known !== undefined) return known;
    const owners = (o.metadata.ownerReferences ?? [])
      .map((r) => byUid.get(r.uid))
      .filter((x) => x !== undefined);
    const d = owners.length === 0 ? 0 : 1 + Math.max(...owners.map(of));
    depth.set(o, d);
    return d;
  };
  for (const o of objects) of(o);
  return depth;
}

export async function loadFleet(
  http: KubeHttp,
  namespace: string,
  objects: KubeObject[],
  concurrency: number,
): Promise<LoadResult> {
  const started = performance.now();
  let requests = 0;
  const call = (method: string, path: string, body?: unknown, type?: string) => {
    requests++;
    return http.call(method, path, body, type);
  };
  await call('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  const limit = limiter(concurrency);
  const realUid = new Map<string, string>();
  const write = async (object: KubeObject) => {
    const { status, ...rest } = object;
    const { uid, ...metadata } = object.metadata;
    const ownerReferences = metadata.ownerReferences?.map((r) => ({
      ...r,
      uid: realUid.get(r.uid) ?? r.uid,
    }));
    const created = (await limit(() =>
      call('POST', pathOf(object), { ...rest, metadata: { ...metadata, ownerReferences } }),
    )) as KubeObject;
    realUid.set(uid, created.metadata.uid);
    if (status !== undefined) {
      await limit(() =>
        call(
          'PATCH',
          `${pathOf(object)}/${object.metadata.name}/status`,
          { status },
          'application/merge-patch+json',
        ),
      );
    }
  };
  const depthOf = depths(objects);
  const maxDepth = Math.max(0, ...depthOf.values());
  for (let d = 0; d <= maxDepth; d++) {
    await Promise.all(objects.filter((o) => depthOf.get(o) === d).map(write));
  }
  return { objects: objects.length, requests, ms: performance.now() - started };
}
