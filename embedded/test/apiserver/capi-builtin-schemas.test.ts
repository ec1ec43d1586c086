/**
 * The CAPI kinds a fresh `capi-gateway embedded --no-demo` serves, with no CRD applied by hand, as
 * a user sees them with kubectl: the real v1.14 schemas (unknown fields rejected under Strict with
 * kube-apiserver's message, pruned otherwise), `kubectl explain` showing the real field tree at
 * v1beta2 and v1beta1, and CAPI's KubeadmControlPlane scale webhook answering scale requests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliChild } from '../../../test/cli/cli-child.ts';
import { runKubectl } from '../../../test/support/embedded-cluster.ts';

const contractRef = (apiGroup: string, kind: string, name: string) => ({ apiGroup, kind, name });

const clusterWith = (name: string, extra: Record<string, unknown>) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name, namespace: 'default' },
  spec: {
    controlPlaneRef: contractRef('controlplane.cluster.x-k8s.io', 'KubeadmControlPlane', name),
    infrastructureRef: contractRef('infrastructure.cluster.x-k8s.io', 'DockerCluster', name),
    ...extra,
  },
});

const kcp = (name: string, externalEtcd = false) => ({
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 1,
    version: 'v1.33.0',
    machineTemplate: {
      spec: {
        infrastructureRef: contractRef('infrastructure.cluster.x-k8s.io', 'DockerMachineTemplate', name),
      },
    },
    ...(externalEtcd
      ? {
          kubeadmConfigSpec: {
            clusterConfiguration: {
              etcd: {
                external: {
                  endpoints: ['https://etcd:2379'],
                  caFile: '/ca.crt',
                  certFile: '/c.crt',
                  keyFile: '/c.key',
                },
              },
            },
          },
        }
      : {}),
  },
});

describe('CAPI kinds of a fresh `capi-gateway embedded --no-demo` (no CRD applied by hand)', () => {
  let dataDir: string;
  let embedded: CliChild;
  const kubectl = (args: string[], stdin?: string) =>
    runKubectl(join(dataDir, 'embedded.kubeconfig'), args, stdin);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'capi-gateway-schemas-'));
    embedded = runCli(['embedded', '--no-demo', '--data-dir', dataDir, '--port', '0', '--ephemeral']);
    await embedded.waitForStdout(/kubeconfig:/, 60_000);
  }, 70_000);
  afterAll(async () => {
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('rejects an unknown field under --validate=strict with kube-apiserver’s message, storing nothing', async () => {
    const result = await kubectl(
      ['apply', '--validate=strict', '-f', '-'],
      JSON.stringify(clusterWith('strict', { bogusField: 1 })),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'Cluster in version "v1beta2" cannot be handled as a Cluster: strict decoding error: unknown field "spec.bogusField"',
    );
    expect((await kubectl(['get', 'clusters.cluster.x-k8s.io', 'strict'])).code).not.toBe(0);
  });

  it('prunes an unknown field otherwise (with a warning under --validate=warn)', async () => {
    const ignored = await kubectl(
      ['create', '--validate=false', '-f', '-'],
      JSON.stringify(clusterWith('pruned', { bogusField: 1 })),
    );
    expect(ignored.code, ignored.stderr).toBe(0);
    const warned = await kubectl(
      ['create', '--validate=warn', '-f', '-'],
      JSON.stringify(clusterWith('warned', { bogusField: 1 })),
    );
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain('unknown field "spec.bogusField"');
    for (const name of ['pruned', 'warned']) {
      const stored = JSON.parse(
        (await kubectl(['get', 'clusters.cluster.x-k8s.io', name, '-o', 'json'])).stdout,
      ) as { spec: Record<string, unknown> };
      expect(stored.spec).not.toHaveProperty('bogusField');
      expect(stored.spec['controlPlaneRef']).toEqual(
        contractRef('controlplane.cluster.x-k8s.io', 'KubeadmControlPlane', name),
      );
    }
  });

  it('rejects a value the real schema forbids (422 with the field path)', async () => {
    const result = await kubectl(
      ['create', '-f', '-'],
      JSON.stringify(clusterWith('bad-network', { clusterNetwork: { pods: { cidrBlocks: 'not-a-list' } } })),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/spec\.clusterNetwork\.pods\.cidrBlocks: Invalid value: "string"/);
  });

  it('kubectl explain shows the real field tree of Cluster.spec at v1beta2 and v1beta1', async () => {
    const v1beta2 = await kubectl(['explain', 'clusters.spec']);
    expect(v1beta2.code, v1beta2.stderr).toBe(0);
    expect(v1beta2.stdout).toContain('VERSION:    v1beta2');
    for (const field of [
      'availabilityGates',
      'clusterNetwork',
      'controlPlaneEndpoint',
      'controlPlaneRef',
      'infrastructureRef',
      'paused',
      'topology',
    ]) {
      expect(v1beta2.stdout).toMatch(new RegExp(`^ {2}${field}\\t<`, 'm'));
    }
    const classRef = await kubectl(['explain', 'clusters.spec.topology.classRef.name']);
    expect(classRef.stdout).toMatch(/FIELD: name <string>/);

    const v1beta1 = await kubectl([
      'explain',
      'clusters.spec.topology',
      '--api-version=cluster.x-k8s.io/v1beta1',
    ]);
    expect(v1beta1.code, v1beta1.stderr).toBe(0);
    expect(v1beta1.stdout).toMatch(/^ {2}class\t<string> -required-$/m);
    expect(v1beta1.stdout).not.toMatch(/^ {2}classRef\t/m);

    const replicas = await kubectl(['explain', 'kubeadmcontrolplanes.spec.replicas']);
    expect(replicas.stdout).toMatch(/FIELD: replicas <integer>/);
  });

  describe('KubeadmControlPlane scale subresource (CAPI’s validation-scale webhook)', () => {
    const webhook = 'admission webhook "validation-scale.kubeadmcontrolplane.controlplane.cluster.x-k8s.io"';

    beforeAll(async () => {
      for (const obj of [kcp('stacked'), kcp('external', true)]) {
        const created = await kubectl(['create', '-f', '-'], JSON.stringify(obj));
        expect(created.code, created.stderr).toBe(0);
      }
    });

    it('denies an even count with stacked etcd: 403 Forbidden, CAPI’s message', async () => {
      const result = await kubectl(['scale', '-v=6', 'kubeadmcontrolplanes', 'stacked', '--replicas=2']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/\/scale 403 Forbidden/);
      expect(result.stderr).toContain(
        `Error from server (Forbidden): ${webhook} denied the request: replicas cannot be an even number when etcd is stacked`,
      );
    });

    it('denies zero: 403 Forbidden, CAPI’s message', async () => {
      const result = await kubectl(['scale', 'kubeadmcontrolplanes', 'stacked', '--replicas=0']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        `Error from server (Forbidden): ${webhook} denied the request: replicas should be greater than zero`,
      );
      const replicas = await kubectl([
        'get',
        'kubeadmcontrolplanes',
        'stacked',
        '-o',
        'jsonpath={.spec.replicas}',
      ]);
      expect(replicas.stdout).toBe('1');
    });

    it('refuses a negative count before admission, as kube-apiserver validates the Scale (422)', async () => {
      // kubectl scale refuses a negative count itself; a patch of the subresource reaches the server.
      const result = await kubectl([
        'patch',
        'kubeadmcontrolplanes',
        'stacked',
        '--subresource=scale',
        '--type=merge',
        '-p',
        '{"spec":{"replicas":-1}}',
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'The Scale "stacked" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      );
    });

    it('allows an odd count, and an even one with external etcd', async () => {
      const odd = await kubectl(['scale', 'kubeadmcontrolplanes', 'stacked', '--replicas=3']);
      expect(odd.code, odd.stderr).toBe(0);
      const even = await kubectl(['scale', 'kubeadmcontrolplanes', 'external', '--replicas=2']);
      expect(even.code, even.stderr).toBe(0);
      const replicas = await kubectl([
        'get',
        'kubeadmcontrolplanes',
        'external',
        '-o',
        'jsonpath={.spec.replicas}',
      ]);
      expect(replicas.stdout).toBe('2');
    });
  });
});
