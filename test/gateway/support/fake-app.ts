import { buildApp, type App, type AppOptions } from '../../../src/app.ts';
import { fleetOf } from '../../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../../src/capi/management-cluster-cache.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import { ManagementClusterConnection } from '../../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from './fake-transport.ts';

export interface FakeApp {
  app: App;
  transport: FakeTransport;
}

/** The gateway on a port over one in-memory management cluster named `fake`, synced. */
export async function startFakeApp(
  objects: KubeObject[],
  options: Partial<Pick<AppOptions, 'subscriptions' | 'connectionInitWaitTimeoutMs' | 'limits'>> = {},
): Promise<FakeApp> {
  const transport = new FakeTransport(capiFakeKinds);
  for (const o of objects) transport.put(o);
  const fleet = fleetOf([
    new ManagementClusterCache(
      new ManagementClusterConnection('fake', 'https://fake', transport, {
        initialBackoffMs: 10,
        maxBackoffMs: 50,
      }),
    ),
  ]);
  const app = await buildApp({ host: '127.0.0.1', port: 0, managementClusters: [], fleet, ...options });
  await app.start();
  if (!(await fleet.whenSynced(10_000))) throw new Error('the fake management cluster did not sync');
  return { app, transport };
}
