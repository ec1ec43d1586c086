import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, KubeObject } from '../../apiserver/admission.ts';
import { capiAdmissionPlugins } from '../../controllers/admission/capi-admission-plugins.ts';
import type { TopologyUpgradeState } from '../../controllers/admission/cluster-webhook.ts';

const classes = new Map<string, KubeObject>();
let upgradeState: TopologyUpgradeState = { machineDeploymentsUpgrading: false };
const plugins = capiAdmissionPlugins({
  getClusterClass: (namespace, name) => classes.get(`${namespace}/${name}`),
  getTopologyUpgradeState: () => upgradeState,
  getKubeadmControlPlane: () => kcp(1),
});
const [defaulting] = plugins.mutating;
const byName = (name: string) => plugins.validating.find((plugin) => plugin.name === name);
const kcpWebhook = byName('capi-kubeadm-control-plane');
const clusterWebhook = byName('capi-cluster');
const machineWebhooks = byName('capi-machine-validation');

function kcp(replicas: number, version = 'v1.33.0', external = false): KubeObject {
  return {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'KubeadmControlPlane',
    metadata: { name: 'cp', namespace: 'default' },
    spec: {
      replicas,
      version,
      kubeadmConfigSpec: external
        ? { clusterConfiguration: { etcd: { external: { endpoints: ['x'] } } } }
        : {},
    },
  };
}

function request(
  partial: Partial<AdmissionRequest> & Pick<AdmissionRequest, 'resource' | 'group'>,
): AdmissionRequest {
  return {
    operation: 'CREATE',
    version: 'v1beta2',
    kind: 'X',
    name: 'cp',
    namespace: 'default',
    dryRun: false,
    ...partial,
  };
}

const kcpRequest = (object: KubeObject, oldObject?: KubeObject, subresource?: string): AdmissionRequest =>
  request({
    group: 'controlplane.cluster.x-k8s.io',
    resource: 'kubeadmcontrolplanes',
    kind: 'KubeadmControlPlane',
    operation: oldObject ? 'UPDATE' : 'CREATE',
    object,
    oldObject,
    subresource,
  });

describe('KubeadmControlPlane webhook', () => {
  it('rejects zero, negative and even replicas with stacked etcd', async () => {
    for (const replicas of [0, -1, 2, 4]) {
      const response = await kcpWebhook!.validate(kcpRequest(kcp(replicas)));
      expect(response).toMatchObject({
        allowed: false,
        code: 422,
        causes: expect.arrayContaining([expect.objectContaining({ field: 'spec.replicas' })]),
      });
    }
    expect(await kcpWebhook!.validate(kcpRequest(kcp(3)))).toEqual({ allowed: true });
  });

  it('rejects a scale-in rollout (maxSurge 0) with fewer than 3 replicas', async () => {
    const scaleIn = (replicas: number): KubeObject => {
      const object = kcp(replicas);
      (object.spec as Record<string, unknown>).rollout = { strategy: { rollingUpdate: { maxSurge: 0 } } };
      return object;
    };
    expect(await kcpWebhook!.validate(kcpRequest(scaleIn(1)))).toMatchObject({
      allowed: false,
      message: /at least 3/,
    });
    expect(await kcpWebhook!.validate(kcpRequest(scaleIn(3)))).toEqual({ allowed: true });
  });

  it('allows even replicas with external etcd', async () => {
    expect(await kcpWebhook!.validate(kcpRequest(kcp(2, 'v1.33.0', true)))).toEqual({ allowed: true });
  });

  it('checks the scale subresource too', async () => {
    const scale = {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'cp' },
      spec: { replicas: 2 },
    };
    expect(await kcpWebhook!.validate(kcpRequest(scale, scale, 'scale'))).toMatchObject({ allowed: false });
  });

  it('rejects skipping a minor version but allows one minor step', async () => {
    expect(await kcpWebhook!.validate(kcpRequest(kcp(1, 'v1.35.0'), kcp(1, 'v1.33.0')))).toMatchObject({
      allowed: false,
      message: /spec.version: Forbidden: cannot update Kubernetes version from v1.33.0 to v1.35.0/,
    });
    expect(await kcpWebhook!.validate(kcpRequest(kcp(1, 'v1.34.2'), kcp(1, 'v1.33.0')))).toEqual({
      allowed: true,
    });
  });
});

describe('MachineDeployment defaulting', () => {
  it('adds the cluster-name label to selector and template, a replica count and the rollout strategy, as CAPI v1.14 stores them', async () => {
    const md: KubeObject = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: 'md-0', namespace: 'default' },
      spec: { clusterName: 'c1', template: { spec: { version: '1.33.0' } } },
    };
    const response = await defaulting!.admit(
      request({
        group: 'cluster.x-k8s.io',
        resource: 'machinedeployments',
        kind: 'MachineDeployment',
        object: md,
      }),
    );
    expect(response).toEqual({ allowed: true });
    const labels = { 'cluster.x-k8s.io/cluster-name': 'c1' };
    expect(md).toEqual({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: 'md-0', namespace: 'default', labels },
      spec: {
        clusterName: 'c1',
        replicas: 1,
        selector: { matchLabels: labels },
        rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
        template: { metadata: { labels }, spec: { version: 'v1.33.0', clusterName: 'c1' } },
      },
    });
  });

  it('rejects a selector that does not select the template labels', async () => {
    const md: KubeObject = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: 'md-0', namespace: 'default' },
      spec: {
        clusterName: 'c1',
        selector: { matchLabels: { pool: 'a' } },
        template: { metadata: { labels: { pool: 'b' } }, spec: {} },
      },
    };
    const mdRequest = request({
      group: 'cluster.x-k8s.io',
      resource: 'machinedeployments',
      kind: 'MachineDeployment',
      object: md,
    });
    expect(await defaulting!.admit(mdRequest)).toEqual({ allowed: true });
    expect(await machineWebhooks!.validate(mdRequest)).toMatchObject({
      allowed: false,
      causes: [
        {
          field: 'spec.template.metadata.labels',
          message: 'Forbidden: must match spec.selector "cluster.x-k8s.io/cluster-name=c1,pool=a"',
        },
      ],
    });
  });
});

describe('Cluster topology webhook', () => {
  const cluster = (version: string, className = 'cc'): KubeObject => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name: 'c1', namespace: 'default' },
    spec: { topology: { version, classRef: { name: className } } },
  });
  const clusterRequest = (object: KubeObject, oldObject?: KubeObject): AdmissionRequest =>
    request({
      group: 'cluster.x-k8s.io',
      resource: 'clusters',
      kind: 'Cluster',
      name: 'c1',
      operation: oldObject ? 'UPDATE' : 'CREATE',
      object,
      oldObject,
    });
  const clusterClass = (versions?: string[]): KubeObject => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'ClusterClass',
    metadata: { name: 'cc', namespace: 'default' },
    spec: versions ? { kubernetesVersions: versions } : {},
  });

  it('warns, but admits, a cluster whose ClusterClass does not exist yet', async () => {
    classes.clear();
    expect(await clusterWebhook!.validate(clusterRequest(cluster('v1.33.0', 'missing')))).toMatchObject({
      allowed: true,
      warnings: [expect.stringMatching(/does not exist/)],
    });
  });

  it('rejects moving a cluster to a missing ClusterClass', async () => {
    classes.set('default/cc', clusterClass());
    expect(
      await clusterWebhook!.validate(clusterRequest(cluster('v1.33.0', 'missing'), cluster('v1.33.0'))),
    ).toMatchObject({
      allowed: false,
      causes: [
        { field: 'spec.topology.class', message: 'Internal error: ClusterClass default/missing not found' },
      ],
    });
  });

  it('rejects a minor skip unless the class lists kubernetesVersions', async () => {
    classes.set('default/cc', clusterClass());
    upgradeState = { controlPlaneVersion: 'v1.33.0', machineDeploymentsUpgrading: false };
    expect(
      await clusterWebhook!.validate(clusterRequest(cluster('v1.35.0'), cluster('v1.33.0'))),
    ).toMatchObject({
      allowed: false,
    });
    classes.set('default/cc', clusterClass(['v1.33.0', 'v1.34.0', 'v1.35.0']));
    expect(await clusterWebhook!.validate(clusterRequest(cluster('v1.35.0'), cluster('v1.33.0')))).toEqual({
      allowed: true,
    });
  });

  it('rejects a decrease and a minor bump while the previous upgrade is still running', async () => {
    classes.set('default/cc', clusterClass());
    upgradeState = { controlPlaneVersion: 'v1.33.0', machineDeploymentsUpgrading: false };
    expect(
      await clusterWebhook!.validate(clusterRequest(cluster('v1.32.0'), cluster('v1.33.0'))),
    ).toMatchObject({
      allowed: false,
      message: /cannot be decreased/,
    });
    upgradeState = { controlPlaneVersion: 'v1.32.0', machineDeploymentsUpgrading: false };
    expect(
      await clusterWebhook!.validate(clusterRequest(cluster('v1.34.0'), cluster('v1.33.0'))),
    ).toMatchObject({
      allowed: false,
      message: /version cannot be changed: control plane is currently upgrading/,
    });
    upgradeState = { controlPlaneVersion: 'v1.33.0', machineDeploymentsUpgrading: true };
    expect(
      await clusterWebhook!.validate(clusterRequest(cluster('v1.34.0'), cluster('v1.33.0'))),
    ).toMatchObject({
      allowed: false,
      message: /MachineDeployments are currently upgrading/,
    });
    upgradeState = { controlPlaneVersion: 'v1.33.0', machineDeploymentsUpgrading: false };
    expect(await clusterWebhook!.validate(clusterRequest(cluster('v1.34.0'), cluster('v1.33.0')))).toEqual({
      allowed: true,
    });
  });
});

describe('core kind validation on updates', () => {
  const schemaRules = byName('capi-schema-rules');
  const machine = (version: string, clusterName = 'c1'): KubeObject => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Machine',
    metadata: { name: 'm1', namespace: 'default' },
    spec: {
      clusterName,
      version,
      bootstrap: { dataSecretName: 'm1-bootstrap' },
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachine' },
    },
  });
  const machineRequest = (object: KubeObject, oldObject?: KubeObject): AdmissionRequest =>
    request({
      group: 'cluster.x-k8s.io',
      resource: 'machines',
      kind: 'Machine',
      name: 'm1',
      operation: oldObject ? 'UPDATE' : 'CREATE',
      object,
      oldObject,
    });

  it('lets an object stored before the rules existed be updated when the bad fields do not change', async () => {
    const stored = machine('latest');
    const finalizersRemoved = { ...machine('latest'), metadata: { ...stored.metadata, finalizers: [] } };
    expect(await machineWebhooks!.validate(machineRequest(finalizersRemoved, stored))).toEqual({
      allowed: true,
    });
    expect(await schemaRules!.validate(machineRequest(finalizersRemoved, stored))).toEqual({ allowed: true });
    expect(await machineWebhooks!.validate(machineRequest(machine('latest')))).toMatchObject({
      allowed: false,
    });
    expect(await schemaRules!.validate(machineRequest(machine('v1.33.0')))).toMatchObject({
      allowed: false,
      causes: [{ field: 'spec.infrastructureRef.name', message: 'Required value' }],
    });
  });

  it('rejects moving a Machine to another cluster', async () => {
    expect(
      await machineWebhooks!.validate(machineRequest(machine('v1.33.0', 'c2'), machine('v1.33.0'))),
    ).toMatchObject({
      allowed: false,
      causes: [{ field: 'spec.clusterName', message: 'Forbidden: field is immutable' }],
    });
  });
});
