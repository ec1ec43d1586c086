/**
 * The contract suite: the same scenarios against every management-cluster fixture (embedded and
 * real). Differences found between them are fixed in the embedded engine or recorded in
 * KNOWN_DIFFERENCES.md.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { contractFixtures, sharedCapiDir } from './fixtures.ts';
import type { ContractCluster } from './fixtures.ts';
import { testKube } from './kube.ts';
import type { TestKube } from './kube.ts';
import { apiSemanticsTests } from './api-semantics.ts';
import { clusterLifecycleTests } from './cluster-lifecycle.ts';
import { conversionNoneTests } from './conversion-none.ts';
import { gatewayMutationTests } from './gateway-mutations.ts';
import { gatewayScenarioTests } from './gateway-scenarios.ts';
import { handUpgradeTests } from './hand-upgrade.ts';
import { rbacTests } from './rbac.ts';

const capiDir = sharedCapiDir();
if (capiDir === undefined) console.warn('contract lifecycle tests skipped: ../shared/capi is absent');

describe.each(contractFixtures())('$name management cluster', (fixture) => {
  let cluster: ContractCluster | undefined;
  let kube: TestKube | undefined;
  const namespace = `contract-${randomBytes(3).toString('hex')}`;
  // The gateway scenarios' own namespace: their answers count every cluster in it.
  const gatewayNamespace = `contract-gw-${randomBytes(3).toString('hex')}`;
  // The gateway mutations' own namespace: the cluster they create stays out of the answers above.
  const mutationsNamespace = `contract-mut-${randomBytes(3).toString('hex')}`;
  // The RBAC contract's own namespace: its roles and bindings grant nothing elsewhere.
  const rbacNamespace = `contract-rbac-${randomBytes(3).toString('hex')}`;
  const requireKube = (): TestKube => {
    if (kube === undefined) throw new Error(`${fixture.name} management cluster did not start`);
    return kube;
  };

  beforeAll(async () => {
    if (fixture.skipReason !== undefined) return;
    cluster = await fixture.start();
    kube = testKube(cluster.kubeconfigPath);
    await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
    await kube.core.createNamespace({ body: { metadata: { name: gatewayNamespace } } });
    await kube.core.createNamespace({ body: { metadata: { name: mutationsNamespace } } });
    await kube.core.createNamespace({ body: { metadata: { name: rbacNamespace } } });
  }, 360_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  describe('API semantics', () => {
    apiSemanticsTests({ kube: requireKube, namespace: () => namespace, skip: fixture.skipReason });
  });

  describe('authentication and RBAC', () => {
    rbacTests({
      kube: requireKube,
      kubeconfigPath: () => cluster?.kubeconfigPath ?? '',
      namespace: () => rbacNamespace,
      skip: fixture.skipReason,
    });
  });

  describe('conversion: None', () => {
    conversionNoneTests({ kube: requireKube, namespace: () => namespace, skip: fixture.skipReason });
  });

  describe('ClusterClass lifecycle', () => {
    clusterLifecycleTests({
      kube: requireKube,
      kubeconfigPath: () => cluster?.kubeconfigPath ?? '',
      namespace: () => namespace,
      capiDir: capiDir ?? '',
      skip: fixture.skipReason ?? (capiDir === undefined ? '../shared/capi is absent' : undefined),
      stepTimeoutMs: fixture.stepTimeoutMs,
    });
  });

  describe('gateway fleet graph and the hand-made upgrade', () => {
    const ctx = {
      fixture: fixture.name,
      kube: requireKube,
      kubeconfigPath: () => cluster?.kubeconfigPath ?? '',
      namespace: () => gatewayNamespace,
      capiDir: capiDir ?? '',
      skip: fixture.skipReason ?? (capiDir === undefined ? '../shared/capi is absent' : undefined),
      stepTimeoutMs: fixture.stepTimeoutMs,
    };
    gatewayScenarioTests(ctx);
    handUpgradeTests(ctx);
  });

  describe('gateway mutations: create, scale, upgrade, delete through GraphQL', () => {
    gatewayMutationTests({
      kube: requireKube,
      kubeconfigPath: () => cluster?.kubeconfigPath ?? '',
      namespace: () => mutationsNamespace,
      capiDir: capiDir ?? '',
      skip: fixture.skipReason ?? (capiDir === undefined ? '../shared/capi is absent' : undefined),
      stepTimeoutMs: fixture.stepTimeoutMs,
    });
  });
});
