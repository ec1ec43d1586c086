/**
 * A data dir written by a build that served the CAPI kinds only at v1beta2: on restart the
 * built-in CRDs gain v1beta1, and objects stored before read back at both versions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { builtinCrdsFor } from '../../apiserver/schema/index.ts';
import { startTestEmbeddedCluster } from '../../../test/support/embedded-cluster.ts';

const clusterCrd = builtinCrdsFor('v1beta2').find((c) => c.metadata.name === 'clusters.cluster.x-k8s.io')!;

/** The Cluster CRD as older builds seeded it: one version, no conversion. */
function singleVersion(crd: KubeObject): KubeObject {
  const spec = crd['spec'] as { versions: Array<{ name: string }>; conversion?: unknown };
  const { conversion: _c, ...rest } = spec;
  return {
    apiVersion: crd.apiVersion,
    kind: crd.kind,
    metadata: {
      name: crd.metadata.name!,
      labels: crd.metadata.labels ?? {},
      annotations: crd.metadata.annotations ?? {},
    },
    spec: { ...rest, versions: spec.versions.filter((v) => v.name === 'v1beta2') },
  };
}

const cluster = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name: 'kept', namespace: 'default' },
  spec: {
    controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: 'kept' },
  },
};

describe('a data dir from a build without v1beta1', () => {
  it('serves v1beta1 after a restart, with the objects stored before', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'capi-gateway-conversion-'));
    const first = await startTestEmbeddedCluster({ persistent: true, dataDir });
    try {
      const replaced = await first.kubectl(['replace', '-f', '-'], JSON.stringify(singleVersion(clusterCrd)));
      expect(replaced.stderr).toBe('');
      expect((await first.kubectl(['get', 'clusters.v1beta1.cluster.x-k8s.io', '-A'])).code).not.toBe(0);
      expect((await first.kubectl(['create', '-f', '-'], JSON.stringify(cluster))).code).toBe(0);
    } finally {
      await first.stop().catch(() => undefined);
    }
    const second = await startTestEmbeddedCluster({ persistent: true, dataDir });
    try {
      const got = await second.kubectl([
        'get',
        'clusters.v1beta1.cluster.x-k8s.io',
        'kept',
        '-n',
        'default',
        '-o',
        'json',
      ]);
      expect(got.stderr).toBe('');
      const obj = JSON.parse(got.stdout) as KubeObject;
      expect(obj.apiVersion).toBe('cluster.x-k8s.io/v1beta1');
      expect(obj['spec']).toMatchObject({
        controlPlaneRef: {
          apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
          kind: 'KubeadmControlPlane',
          name: 'kept',
        },
      });
    } finally {
      await second.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
