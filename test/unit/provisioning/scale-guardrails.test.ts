import { describe, expect, it } from 'vitest';
import {
  defaultProvisioningLimits,
  provisioningLimits,
} from '../../../src/provisioning/provisioning-limits.ts';
import {
  controlPlaneReplicaViolations,
  etcdTopologyOf,
  workerReplicaViolations,
} from '../../../src/provisioning/scale-guardrails.ts';

const limits = defaultProvisioningLimits;

describe('control-plane replicas', () => {
  it('stacked etcd: odd and at least 1', () => {
    const stacked = { etcd: 'stacked' as const, limits };
    expect([1, 3, 5, 7].map((n) => controlPlaneReplicaViolations(n, stacked))).toEqual([[], [], [], []]);
    expect(controlPlaneReplicaViolations(2, stacked)).toEqual([
      { path: 'replicas', message: expect.stringContaining('odd number') },
    ]);
    expect(controlPlaneReplicaViolations(0, stacked)).toEqual([
      { path: 'replicas', message: expect.stringContaining('at least 1') },
    ]);
    expect(controlPlaneReplicaViolations(-3, stacked)).toHaveLength(1);
  });

  it('external etcd (and other providers): any count from 1', () => {
    for (const etcd of ['external', 'unknown'] as const) {
      expect(controlPlaneReplicaViolations(2, { etcd, limits })).toEqual([]);
      expect(controlPlaneReplicaViolations(0, { etcd, limits })).toHaveLength(1);
    }
  });

  it('the configured maximum', () => {
    const small = provisioningLimits({ maxControlPlaneReplicas: 3 });
    expect(controlPlaneReplicaViolations(5, { etcd: 'stacked', limits: small })).toEqual([
      { path: 'replicas', message: 'at most 3 control-plane replicas are allowed, not 5' },
    ]);
  });

  it('names the path it is given', () => {
    expect(controlPlaneReplicaViolations(4, { etcd: 'stacked', limits }, 'input.replicas')[0]!.path).toBe(
      'input.replicas',
    );
  });
});

describe('worker replicas', () => {
  it('0 and more, up to the configured maximum', () => {
    expect(workerReplicaViolations(0, limits)).toEqual([]);
    expect(workerReplicaViolations(4, limits)).toEqual([]);
    expect(workerReplicaViolations(-1, limits)).toEqual([
      { path: 'replicas', message: 'replicas cannot be negative (-1)' },
    ]);
    expect(workerReplicaViolations(11, provisioningLimits({ maxWorkerReplicas: 10 }))).toHaveLength(1);
    expect(workerReplicaViolations(1.5, limits)).toHaveLength(1);
  });
});

describe('etcdTopologyOf', () => {
  it('reads KCP external etcd; other providers are unknown', () => {
    expect(etcdTopologyOf({ kind: 'KubeadmControlPlane', spec: {} })).toBe('stacked');
    expect(
      etcdTopologyOf({
        kind: 'KubeadmControlPlane',
        spec: { kubeadmConfigSpec: { clusterConfiguration: { etcd: { external: { endpoints: ['x'] } } } } },
      }),
    ).toBe('external');
    expect(
      etcdTopologyOf({
        kind: 'KubeadmControlPlane',
        spec: { kubeadmConfigSpec: { clusterConfiguration: { etcd: { local: {} } } } },
      }),
    ).toBe('stacked');
    expect(etcdTopologyOf({ kind: 'K3sControlPlane', spec: {} })).toBe('unknown');
  });
});
