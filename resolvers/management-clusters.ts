import type { ManagementClusterStatus } from '../src/capi/fleet-reader.ts';
import type { CapiView, ClusterctlProviderView } from '../src/capi/views.ts';
import type { GatewayContext } from './context.ts';

const coreProviderName = 'cluster-api';

export function managementClusters(ctx: GatewayContext): ManagementClusterStatus[] {
  return ctx.reader.managementClusters();
}

export function managementCluster(ctx: GatewayContext, name: string): ManagementClusterStatus | null {
  return ctx.reader.managementCluster(name) ?? null;
}

/** The management cluster an object was read from (always configured: the reader read it there). */
export function managementClusterOf(ctx: GatewayContext, view: CapiView): ManagementClusterStatus {
  return ctx.reader.managementCluster(view.address.managementCluster)!;
}

/** The installed providers; null when there is nothing to show (see providersUnavailableReason). */
export function providersOf(
  ctx: GatewayContext,
  mc: ManagementClusterStatus,
): ClusterctlProviderView[] | null {
  const result = ctx.reader.providers(mc.name);
  return result.ok ? result.providers : null;
}

export function providersUnavailableReason(ctx: GatewayContext, mc: ManagementClusterStatus): string | null {
  const result = ctx.reader.providers(mc.name);
  return result.ok ? null : result.reason;
}

/** The core provider's version from clusterctl's Provider objects; null when there are none. */
export function capiVersionOf(ctx: GatewayContext, mc: ManagementClusterStatus): string | null {
  const core = providersOf(ctx, mc)?.find(
    (p) => p.providerName === coreProviderName || p.type === 'CoreProvider',
  );
  return core?.version ?? null;
}

/** Null while the management cluster cannot be read. */
export function clusterCountOf(ctx: GatewayContext, mc: ManagementClusterStatus): number | null {
  const result = ctx.reader.clusters(mc.name);
  return result.unavailable.length > 0 ? null : result.items.length;
}
