import type { ObjectAddress } from '../src/capi/views.ts';
/** The global ID of an address (a view carries its own as `id`). Format: src/capi/object-id.ts. */
export { objectId as encodeGlobalId } from '../src/capi/object-id.ts';

export function decodeGlobalId(id: string): ObjectAddress | null {
  let tuple: unknown;
  try {
    tuple = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(tuple) || tuple.length !== 5 || !tuple.every((x) => typeof x === 'string')) return null;
  const [managementCluster, group, kind, namespace, name] = tuple as string[];
  if (!managementCluster || !kind || !name) return null;
  return { managementCluster, group: group!, kind, namespace: namespace!, name };
}

export function encodeManagementClusterId(name: string): string {
  return Buffer.from(JSON.stringify(['ManagementCluster', name])).toString('base64url');
}
