import { buildApp, type App, type GatewayOptions } from '../../../src/app.ts';
import type { ObjectAddress } from '../../../src/capi/views.ts';
import type { OperationRecord } from '../../../src/provisioning/operations/operation-record.ts';
import { encodeGlobalId } from '../../../resolvers/global-id.ts';
import { eventually } from './gql.ts';

/** Lease and resync short enough that a takeover or a resync happens within a test. */
export const fastOperations = {
  leaseDurationMs: 1500,
  renewIntervalMs: 250,
  resyncIntervalMs: 1000,
  log: () => {},
} as const;

/** A gateway on one management cluster with fast operation drivers (and extra operation types). */
export async function startOperationsGateway(
  name: string,
  kubeconfigPath: string,
  operations: GatewayOptions['operations'] = {},
): Promise<App> {
  const app = await buildApp({
    host: '127.0.0.1',
    port: 0,
    managementClusters: [{ name, kubeconfigPath }],
    connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
    operations: { ...fastOperations, ...operations },
  });
  await app.start();
  if (!(await app.gateway.fleet.whenSynced(20_000))) throw new Error('gateway did not sync');
  await eventually(
    async () => (app.gateway.operations.store(name)?.synced ? true : undefined),
    20_000,
    'the Operation CRD to be installed and watched',
  );
  return app;
}

/** Simulates a crash: the drivers stop without handing their leases over, then the app stops. */
export async function killGateway(app: App): Promise<void> {
  await app.gateway.operations.stop({ release: false });
  await app.stop();
}

export function operationId(op: OperationRecord): string {
  return encodeGlobalId(op.address);
}

export function clusterAddress(managementCluster: string, namespace: string, name: string): ObjectAddress {
  return { managementCluster, group: 'cluster.x-k8s.io', kind: 'Cluster', namespace, name };
}
