/**
 * An Operation CRD installed by an older gateway (or an older chart: Helm never upgrades CRDs)
 * lacks spec.requestedGroups, and the API server would prune the requester's groups. The
 * gateway patches that CRD at start, and the groups it records are then kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { operationCrd } from '../../src/provisioning/operations/operation-crd.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { eventually } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { startOperationsGateway } from './support/operations-fixture.ts';

type Crd = typeof operationCrd & {
  spec: {
    versions: Array<{
      schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } };
    }>;
  };
};

const specProperties = (crd: Crd) => crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties;

describe('an older Operation CRD', () => {
  let mc: TestEmbeddedCluster;
  let app: App | undefined;

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: false });
    const older = structuredClone(operationCrd) as Crd;
    delete specProperties(older)['requestedGroups'];
    await kubectlOk(mc, ['apply', '-f', '-'], JSON.stringify(older));
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
  });

  it('gains spec.requestedGroups when the gateway starts, and keeps the groups recorded', async () => {
    app = await startOperationsGateway('mc', mc.kubeconfigPath);
    const installed = JSON.parse(
      await kubectlOk(mc, ['get', 'crd', 'operations.capi-gateway.dev', '-o', 'json']),
    ) as Crd;
    expect(specProperties(installed)['requestedGroups']).toEqual({
      type: 'array',
      items: { type: 'string' },
    });

    const started = await app.gateway.operations.startOperation({
      managementCluster: 'mc',
      namespace: 'default',
      type: 'ReadKubeconfig',
      target: null,
      input: {},
      requestedBy: 'alice',
      requestedGroups: ['ops'],
    });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.requestedGroups).toEqual(['ops']);
    const stored = await eventually(
      async () => app!.gateway.operations.get(started.value.address) ?? undefined,
      10_000,
      'the operation in the store',
    );
    expect(stored.requestedGroups).toEqual(['ops']);
  });
});
