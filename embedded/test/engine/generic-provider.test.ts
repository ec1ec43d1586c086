/**
 * Any infrastructure kind provisions: a provider the engine has never seen (its CRD applied by
 * the test, v1beta1 contract → `status.ready`), and the fault knobs make machines fail or nodes
 * go NotReady.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EngineHarness,
  type Obj,
  type Plural,
  R,
  SKIP_REASON,
  conditionStatus,
  haveSharedCapi,
  readTemplate,
  startEngineHarness,
  waitFor,
} from './engine-harness.ts';

const NS = 'default';
const GROUP = 'infrastructure.acme.example';
const ACME_MACHINES: Plural = { group: GROUP, version: 'v1alpha1', plural: 'acmemachines' };
const ACME_CLUSTERS: Plural = { group: GROUP, version: 'v1alpha1', plural: 'acmeclusters' };

function crd(kind: string, plural: string, spec: string, status: string): string {
  return `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${GROUP}
  labels: { cluster.x-k8s.io/v1beta1: v1alpha1 }
spec:
  group: ${GROUP}
  scope: Namespaced
  names: { kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List }
  versions:
    - name: v1alpha1
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: ${spec}
            status: ${status}
`;
}

const MACHINE_SPEC = `{ type: object, properties: { providerID: { type: string }, flavor: { type: string } } }`;
const ACME_CRDS = [
  crd(
    'AcmeCluster',
    'acmeclusters',
    `{ type: object, properties: { region: { type: string }, controlPlaneEndpoint: { type: object, properties: { host: { type: string }, port: { type: integer } } } } }`,
    `{ type: object, properties: { ready: { type: boolean } } }`,
  ),
  crd(
    'AcmeMachine',
    'acmemachines',
    MACHINE_SPEC,
    `{ type: object, properties: { ready: { type: boolean }, addresses: { type: array, items: { type: object, properties: { type: { type: string }, address: { type: string } } } } } }`,
  ),
  crd(
    'AcmeMachineTemplate',
    'acmemachinetemplates',
    `{ type: object, properties: { template: { type: object, properties: { spec: ${MACHINE_SPEC} } } } }`,
    `{ type: object }`,
  ),
].join('---\n');

/** simple-cluster.yaml moved onto the Acme provider. */
function acmeCluster(): string {
  return readTemplate('simple-cluster.yaml')
    .replaceAll('apiGroup: infrastructure.cluster.x-k8s.io', `apiGroup: ${GROUP}`)
    .replaceAll('apiVersion: infrastructure.cluster.x-k8s.io/v1beta2', `apiVersion: ${GROUP}/v1alpha1`)
    .replaceAll('DockerMachineTemplate', 'AcmeMachineTemplate')
    .replaceAll('DockerCluster', 'AcmeCluster')
    .replace(
      /extraMounts:\n\s+- containerPath: "\/var\/run\/docker.sock"\n\s+hostPath: "\/var\/run\/docker.sock"/g,
      'flavor: small',
    );
}

const isControlPlane = (m: Obj): boolean =>
  m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'engine: a provider it has never seen' : SKIP_REASON,
  () => {
    let h: EngineHarness;
    beforeAll(async () => {
      h = await startEngineHarness({ speed: 50 });
      await h.apply(ACME_CRDS);
      await h.apply(acmeCluster());
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('provisions a cluster on a kind whose CRD was just applied, writing the v1beta1 contract fields', async () => {
      await waitFor('machines Running', async () => {
        const machines = await h.list(R.machines, NS);
        return machines.length === 2 && machines.every((m) => m.status?.phase === 'Running');
      });
      const cluster = await h.get(R.clusters, NS, 'my-cluster');
      expect(cluster?.status).toMatchObject({
        phase: 'Provisioned',
        initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
      });
      const acmeCluster = await h.get(ACME_CLUSTERS, NS, 'my-cluster');
      expect(acmeCluster?.status).toEqual({ ready: true });
      expect(acmeCluster?.spec?.controlPlaneEndpoint).toMatchObject({ port: 6443 });
      const acmeMachines = await h.list(ACME_MACHINES, NS);
      expect(acmeMachines).toHaveLength(2);
      for (const machine of acmeMachines) {
        expect(machine.spec).toMatchObject({
          flavor: 'small',
          providerID: `acme://${machine.metadata.name}`,
        });
        expect(machine.status).toMatchObject({
          ready: true,
          addresses: expect.arrayContaining([expect.objectContaining({ type: 'InternalIP' })]),
        });
        expect(machine.metadata.annotations).toMatchObject({
          'cluster.x-k8s.io/cloned-from-name': expect.any(String),
          'cluster.x-k8s.io/cloned-from-groupkind': `AcmeMachineTemplate.${GROUP}`,
        });
      }
    });
  },
);

describe.skipIf(!haveSharedCapi)(haveSharedCapi ? 'engine: fault knobs' : SKIP_REASON, () => {
  it('machineFailureRate 1: no VM boots, the machine waits with a clear condition', async () => {
    const h = await startEngineHarness({ speed: 50, faults: { machineFailureRate: 1 } });
    try {
      await h.apply(readTemplate('simple-cluster.yaml'));
      const failed = await waitFor('the control-plane DockerMachine reports the failure', async () => {
        const list = await h.list(R.dockerMachines, NS);
        return list.find((m) => JSON.stringify(m.status?.conditions ?? []).includes('ProvisioningFailed'));
      });
      expect(conditionStatus(failed, 'Ready')).toBe('False');
      const machine = await h.get(R.machines, NS, failed.metadata.name);
      expect(machine?.status?.phase).toBe('Provisioning');
      expect(conditionStatus(machine, 'InfrastructureReady')).toBe('False');
      expect(conditionStatus(await h.get(R.clusters, NS, 'my-cluster'), 'ControlPlaneInitialized')).toBe(
        'False',
      );
    } finally {
      await h.stop();
    }
  });

  it('nodeNotReadyRate 1: nodes become Ready, then turn NotReady', async () => {
    const h = await startEngineHarness({ speed: 100, faults: { nodeNotReadyRate: 1 } });
    try {
      await h.apply(readTemplate('simple-cluster.yaml'));
      await waitFor('the control-plane machine ran', async () =>
        (await h.list(R.machines, NS)).some((m) => isControlPlane(m) && m.status?.nodeRef),
      );
      const notReady = await waitFor('a node NotReady', async () =>
        (await h.list(R.machines, NS)).find((m) => conditionStatus(m, 'NodeReady') === 'False'),
      );
      expect(conditionStatus(notReady, 'Ready')).toBe('False');
      expect(notReady.status?.nodeRef).toBeDefined();
    } finally {
      await h.stop();
    }
  });
});
