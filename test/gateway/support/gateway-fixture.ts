import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp, type App, type ResolvedManagementCluster } from '../../../src/app.ts';

/** ../shared/capi beside the checkout (tests skip when it is absent). */
export const sharedCapiDir = fileURLToPath(new URL('../../../../shared/capi/', import.meta.url));
export const hasSharedCapi = existsSync(sharedCapiDir);

export async function startGateway(managementClusters: ResolvedManagementCluster[]): Promise<App> {
  const app = await buildApp({
    host: '127.0.0.1',
    port: 0,
    managementClusters,
    connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
  });
  await app.start();
  if (!(await app.gateway.fleet.whenSynced(20_000))) throw new Error('gateway did not sync');
  return app;
}
