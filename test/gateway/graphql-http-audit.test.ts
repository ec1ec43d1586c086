import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { fleetOf } from '../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from './support/fake-transport.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

describe('the GraphQL over HTTP server audit (graphql-http)', () => {
  let app: App;
  beforeAll(async () => {
    const transport = new FakeTransport(capiFakeKinds);
    for (const object of syntheticFleet({ clusters: 1, controlPlaneMachines: 1, workerMachines: 1 }))
      transport.put(object);
    const fleet = fleetOf([
      new ManagementClusterCache(new ManagementClusterConnection('fake', 'https://fake', transport)),
    ]);
    // As `npm start` runs: every limit on, CSRF prevention on, introspection on.
    app = await buildApp({ host: '127.0.0.1', port: 0, managementClusters: [], fleet });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('passes with no MUST failures, against the plain audit client (no extra headers)', async () => {
    const results = await auditServer({ url: app.url });
    const failures = results
      .filter((r) => r.status === 'error')
      .map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failures).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
    // CSRF prevention refuses GETs without a preflight-forcing header: what the audit then
    // reports are MAY notices about GET variables, no SHOULD warning.
    expect(results.filter((r) => r.status === 'warn').map((r) => r.name)).toEqual([]);
  });
});
