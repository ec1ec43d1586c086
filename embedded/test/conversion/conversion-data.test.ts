/**
 * v1beta2-only fields survive a v1beta1 client's read-modify-write (the
 * cluster.x-k8s.io/conversion-data annotation), and a v1beta1 status write lands in the v1beta2
 * layout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import {
  startTestEmbeddedCluster,
  type TestEmbeddedCluster,
} from '../../../test/support/embedded-cluster.ts';

const taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule', propagation: 'Always' }];

const md = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  metadata: { name: 'tainted', namespace: 'default' },
  spec: {
    clusterName: 'c1',
    replicas: 1,
    selector: { matchLabels: {} },
    template: {
      spec: {
        clusterName: 'c1',
        version: 'v1.34.1',
        bootstrap: {
          configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'w' },
        },
        infrastructureRef: {
          apiGroup: 'infrastructure.cluster.x-k8s.io',
          kind: 'DockerMachineTemplate',
          name: 'w',
        },
        taints,
      },
    },
  },
};

describe('a v1beta1 client on v1beta2 objects', () => {
  let c: TestEmbeddedCluster;
  const get = async (resource: string): Promise<KubeObject> => {
    const result = await c.kubectl(['get', resource, '-n', 'default', '-o', 'json']);
    if (result.code !== 0) throw new Error(result.stderr);
    return JSON.parse(result.stdout) as KubeObject;
  };

  beforeAll(async () => {
    c = await startTestEmbeddedCluster();
    const created = await c.kubectl(['create', '-f', '-'], JSON.stringify(md));
    if (created.code !== 0) throw new Error(created.stderr);
  }, 30_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('reads taints (no v1beta1 field) only through the conversion-data annotation', async () => {
    const v1 = await get('machinedeployments.v1beta1.cluster.x-k8s.io/tainted');
    const spec = v1['spec'] as { template: { spec: Record<string, unknown> } };
    expect(spec.template.spec['taints']).toBeUndefined();
    expect(JSON.parse(v1.metadata.annotations?.['cluster.x-k8s.io/conversion-data'] ?? '{}')).toEqual({
      spec: { template: { spec: { taints } } },
    });
  });

  it('keeps them through a v1beta1 replace, and stores no annotation', async () => {
    const v1 = await get('machinedeployments.v1beta1.cluster.x-k8s.io/tainted');
    (v1['spec'] as { replicas: number }).replicas = 4;
    const replaced = await c.kubectl(['replace', '-f', '-'], JSON.stringify(v1));
    expect(replaced.stderr).toBe('');
    const v2 = await get('machinedeployments.v1beta2.cluster.x-k8s.io/tainted');
    expect(v2['spec']).toMatchObject({ replicas: 4, template: { spec: { taints } } });
    expect(v2.metadata.annotations?.['cluster.x-k8s.io/conversion-data']).toBeUndefined();
  });

  it('a v1beta1 merge patch of a legacy field lands in its v1beta2 place', async () => {
    const patched = await c.kubectl([
      'patch',
      'machinedeployments.v1beta1.cluster.x-k8s.io/tainted',
      '-n',
      'default',
      '--type=merge',
      '-p',
      JSON.stringify({
        spec: { strategy: { rollingUpdate: { deletePolicy: 'Newest' } }, minReadySeconds: 7 },
      }),
    ]);
    expect(patched.stderr).toBe('');
    const v2 = await get('machinedeployments.v1beta2.cluster.x-k8s.io/tainted');
    expect(v2['spec']).toMatchObject({
      deletion: { order: 'Newest' },
      template: { spec: { minReadySeconds: 7, taints } },
    });
  });

  it('a v1beta1 status write is stored in the v1beta2 layout', async () => {
    const v1 = await get('machinedeployments.v1beta1.cluster.x-k8s.io/tainted');
    v1['status'] = {
      replicas: 4,
      readyReplicas: 3,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
      v1beta2: { readyReplicas: 2, conditions: [] },
    };
    const written = await c.kubectl(['replace', '--subresource=status', '-f', '-'], JSON.stringify(v1));
    expect(written.stderr).toBe('');
    const v2 = await get('machinedeployments.v1beta2.cluster.x-k8s.io/tainted');
    expect(v2['status']).toEqual({
      replicas: 4,
      readyReplicas: 2,
      conditions: [],
      deprecated: {
        v1beta1: {
          readyReplicas: 3,
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
        },
      },
    });
  });
});
