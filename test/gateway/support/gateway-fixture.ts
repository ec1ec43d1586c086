import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildGateway, type Gateway, type ResolvedManagementCluster } from '../../../src/app.ts';

/** ../shared/capi beside the checkout (tests skip when it is absent). */
export const sharedCapiDir = fileURLToPath(new URL('../../../../shared/capi/', import.meta.url));
export const hasSharedCapi = existsSync(sharedCapiDir);

/** A gateway answering HTTP in process (`gql(app.gateway, …)`): no port of its own. */
export interface GatewayUnderTest {
  gateway: Gateway;
  stop(): Promise<void>;
}

/**
 * The gateway over real management clusters (its caches list and watch them over HTTPS),
 * synced; queries go through yoga's fetch, as only graphql-ws and process tests need a port.
 */
export async function startGateway(
  managementClusters: ResolvedManagementCluster[],
): Promise<GatewayUnderTest> {
  const gateway = buildGateway({
    managementClusters,
    connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
  });
  gateway.fleet.start();
  const stop = () => gateway.fleet.stop();
  if (!(await gateway.fleet.whenSynced(20_000))) {
    await stop();
    throw new Error('gateway did not sync');
  }
  return { gateway, stop };
}
