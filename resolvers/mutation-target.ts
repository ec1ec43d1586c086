import type { CapiView, ClusterView, ObjectAddress } from '../src/capi/views.ts';
import type { ManagementClusterCache } from '../src/capi/management-cluster-cache.ts';
import type { GatewayContext } from './context.ts';
import { NotFoundError, UnavailableError, ValidationError } from './errors.ts';
import { decodeGlobalId } from './global-id.ts';
import { operationsOf } from './operations.ts';

function invalidId(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ path: field, message }]);
}

/**
 * The object a mutation's ID names, as the caches hold it now. A malformed ID, or one naming
 * another kind (a Machine's ID given to pauseCluster), is a ValidationError on `field`; an ID
 * of an object that is gone (stale) or of a management cluster this gateway does not have is
 * a NotFoundError; a management cluster that cannot be read is UnavailableError.
 */
export function targetFromId(
  ctx: GatewayContext,
  id: string,
  kinds: ReadonlyArray<{ group: string; kind: string }>,
  field = 'id',
): { view: CapiView; cache: ManagementClusterCache } {
  const address = decodeGlobalId(id);
  if (!address) throw invalidId(field, 'not an ID this gateway issued');
  if (!kinds.some((k) => k.group === address.group && k.kind === address.kind))
    throw invalidId(field, `names a ${address.kind}, not a ${kinds.map((k) => k.kind).join(' or ')}`);
  const cache = operationsOf(ctx).cache(address.managementCluster);
  if (!cache || !ctx.reader.managementCluster(address.managementCluster))
    throw new NotFoundError(describe(address), `no management cluster named '${address.managementCluster}'`);
  const reason = ctx.reader.availability(address.managementCluster);
  if (reason)
    throw new UnavailableError(`management cluster '${address.managementCluster}' is unavailable: ${reason}`);
  // Through the caller's reader: an object they may not list answers as missing.
  const view = ctx.reader.get(address);
  if (!view) throw new NotFoundError(describe(address));
  return { view, cache };
}

export function describe(address: ObjectAddress): string {
  return `${address.kind} ${address.namespace}/${address.name} on '${address.managementCluster}'`;
}

export function clusterFromId(
  ctx: GatewayContext,
  id: string,
  field = 'id',
): { view: ClusterView; cache: ManagementClusterCache } {
  const found = targetFromId(ctx, id, [{ group: 'cluster.x-k8s.io', kind: 'Cluster' }], field);
  return { view: found.view as ClusterView, cache: found.cache };
}
