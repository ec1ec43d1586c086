import { describe, expect, it } from 'vitest';
import type { ManagementClusterCache } from '../../../src/capi/management-cluster-cache.ts';
import type { CrdInfo } from '../../../src/k8s/crd-registry.ts';
import type { DomainError, Result } from '../../../src/k8s/domain-error.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import type { KubeWriter } from '../../../src/k8s/kube-writer.ts';
import { applyManifests, inDependencyOrder } from '../../../src/provisioning/apply-manifests.ts';

function object(apiVersion: string, kind: string, name: string): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: 'ns' } as KubeObject['metadata'] };
}

const manifests = [
  object('cluster.x-k8s.io/v1beta2', 'MachineDeployment', 'md-0'),
  object('cluster.x-k8s.io/v1beta2', 'Cluster', 'c1'),
  object('controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', 'cp'),
  object('infrastructure.cluster.x-k8s.io/v1beta2', 'DockerMachineTemplate', 'cp'),
  object('infrastructure.cluster.x-k8s.io/v1beta2', 'DockerCluster', 'c1'),
  object('v1', 'Secret', 'credentials'),
];

/** A management cluster whose API server stores what is applied; `failOn` refuses one object once. */
function fakeCache(failOn: { name: string; error: DomainError } | null) {
  const stored = new Map<string, KubeObject>();
  let refusal = failOn;
  const writer = {
    apply: (_target: unknown, o: KubeObject): Promise<Result<KubeObject>> => {
      if (refusal && o.metadata.name === refusal.name && o.kind === 'KubeadmControlPlane') {
        const error = refusal.error;
        refusal = null;
        return Promise.resolve({ ok: false, error });
      }
      stored.set(`${o.kind}/${o.metadata.name}`, o);
      return Promise.resolve({ ok: true, value: o });
    },
  } as unknown as KubeWriter;
  const crd = (gk: { group: string; kind: string }): CrdInfo => ({
    ...gk,
    plural: `${gk.kind.toLowerCase()}s`,
    namespaced: true,
    servedVersions: ['v1beta2'],
    contract: 'v1beta2',
    version: 'v1beta2',
  });
  const cache = { name: 'mc', connection: { writer, crd } } as unknown as ManagementClusterCache;
  return { cache, stored };
}

describe('applying a create’s manifests', () => {
  it('orders what others reference first and the Cluster after its infrastructure and control plane', () => {
    expect(inDependencyOrder(manifests).map((o) => o.kind)).toEqual([
      'Secret',
      'DockerMachineTemplate',
      'DockerCluster',
      'KubeadmControlPlane',
      'Cluster',
      'MachineDeployment',
    ]);
  });

  it('says what it applied when it fails half-way, and the same request applied again completes', async () => {
    const { cache, stored } = fakeCache({
      name: 'cp',
      error: {
        code: 'VALIDATION',
        message: 'spec.replicas: must be odd',
        fields: [{ path: 'spec.replicas', message: 'must be odd' }],
      },
    });
    const ordered = inDependencyOrder(manifests);
    const first = await applyManifests(cache, ordered, {}, cache.connection.writer);
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.error.code).toBe('VALIDATION');
    expect(first.error.message).toBe(
      'applied Secret ns/credentials, DockerMachineTemplate ns/cp, DockerCluster ns/c1; then failed on ' +
        'KubeadmControlPlane ns/cp: spec.replicas: must be odd (applying the same request again is safe)',
    );
    expect(first.error.fields).toEqual([{ path: 'manifests[3].spec.replicas', message: 'must be odd' }]);
    expect([...stored.keys()]).not.toContain('Cluster/c1');

    const retried = await applyManifests(cache, ordered, {}, cache.connection.writer);
    expect(retried.ok).toBe(true);
    expect(stored.size).toBe(6);
  });

  it('refuses a kind the management cluster does not serve, before writing it', async () => {
    const { cache, stored } = fakeCache(null);
    const result = await applyManifests(cache, [object('v1', 'Pod', 'p')], {}, cache.connection.writer);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: [{ path: 'manifests[0]' }] },
    });
    expect(stored.size).toBe(0);
  });
});
