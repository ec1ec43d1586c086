import type { ObjectAddress } from './views.ts';

/**
 * An object's global ID: its full address (management cluster, group, kind, namespace, name)
 * as base64url JSON, so it survives gateway restarts and needs no lookup table. Views carry it
 * (computed once per object version when the cache normalises it), so a query over a whole
 * management cluster encodes nothing.
 */
export function objectId(address: ObjectAddress): string {
  const tuple = [address.managementCluster, address.group, address.kind, address.namespace, address.name];
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}
