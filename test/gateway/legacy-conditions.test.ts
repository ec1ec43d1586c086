import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { ClusterConditionsDocument } from '../generated/graphql.ts';
import { capiFakeKinds } from './support/fake-transport.ts';
import { inProcessGateway, type InProcessGateway } from './support/in-process-gateway.ts';

/** A management cluster serving CAPI kinds at v1beta1 only (CAPI ≤ v1.8: no status.v1beta2). */
const v1beta1Kinds = capiFakeKinds.map((k) => ({
  ...k,
  version: 'v1beta1',
  contract: k.contract && 'v1beta1',
}));

const T = '2026-01-01T00:00:00Z';

function legacyCluster(name: string, status: Record<string, unknown>): KubeObject[] {
  return [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name, namespace: 'old', uid: `uid-${name}` },
      spec: {
        controlPlaneRef: {
          apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
          kind: 'KubeadmControlPlane',
          name,
          namespace: 'old',
        },
      },
      status,
    },
    {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
      kind: 'KubeadmControlPlane',
      metadata: { name, namespace: 'old', uid: `uid-kcp-${name}` },
      spec: { replicas: 1, version: 'v1.30.0' },
      status: {
        conditions: [
          { type: 'Ready', status: 'False', severity: 'Warning', reason: 'ScalingUp', lastTransitionTime: T },
        ],
      },
    },
  ];
}

describe('v1beta1 objects', () => {
  let g: InProcessGateway;
  beforeAll(async () => {
    g = await inProcessGateway(
      {
        mc: [
          // Written by CAPI ≤ v1.8: only the old conditions, with severity.
          ...legacyCluster('before-v1beta2', {
            phase: 'Provisioned',
            conditions: [
              { type: 'Ready', status: 'True', lastTransitionTime: T },
              {
                type: 'InfrastructureReady',
                status: 'False',
                severity: 'Error',
                reason: 'ProvisioningFailed',
                message: 'quota exceeded',
                lastTransitionTime: T,
              },
            ],
          }),
          // Written by CAPI ≥ v1.9 at v1beta1: the v1beta2 conditions win over the old ones.
          ...legacyCluster('with-v1beta2', {
            phase: 'Provisioned',
            conditions: [{ type: 'Ready', status: 'False', severity: 'Info', lastTransitionTime: T }],
            v1beta2: {
              conditions: [{ type: 'Available', status: 'True', reason: 'Available', lastTransitionTime: T }],
            },
          }),
        ],
      },
      v1beta1Kinds,
    );
  });
  afterAll(() => g.stop());

  it('without status.v1beta2 show their v1beta1 conditions; with it, the v1beta2 ones', async () => {
    const res = await g.query(ClusterConditionsDocument);
    expect(res.errors).toBeUndefined();
    expect(res.data!.clusters.edges.map((e) => e.node)).toEqual([
      {
        name: 'before-v1beta2',
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        phase: 'Provisioned',
        conditions: [
          { type: 'Ready', status: 'True', reason: null, message: null },
          {
            type: 'InfrastructureReady',
            status: 'False',
            reason: 'ProvisioningFailed',
            message: 'quota exceeded',
          },
        ],
        controlPlane: {
          name: 'before-v1beta2',
          conditions: [{ type: 'Ready', status: 'False', reason: 'ScalingUp' }],
        },
      },
      {
        name: 'with-v1beta2',
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        phase: 'Provisioned',
        conditions: [{ type: 'Available', status: 'True', reason: 'Available', message: null }],
        controlPlane: {
          name: 'with-v1beta2',
          conditions: [{ type: 'Ready', status: 'False', reason: 'ScalingUp' }],
        },
      },
    ]);
  });
});
