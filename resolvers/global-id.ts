import type { ObjectAddress } from '../src/capi/views.ts';

/**
 * Global IDs carry the object's full address (management cluster, group, kind, namespace,
 * name) as base64url JSON, so they survive gateway restarts and need no lookup table.
 */
/** Views (and their addresses) are immutable per object version: encode each address once. */
const encoded = new WeakMap<ObjectAddress, string>();

export function encodeGlobalId(address: ObjectAddress): string {
  let id = encoded.get(address);
  if (id === undefined) {
    const tuple = [address.managementCluster, address.group, address.kind, address.namespace, address.name];
    id = Buffer.from(JSON.stringify(tuple)).toString('base64url');
    encoded.set(address, id);
  }
  return id;
}

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
