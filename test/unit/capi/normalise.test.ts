import { describe, expect, it } from 'vitest';
import { normaliseCluster } from '../../../src/capi/normalise/cluster.ts';
import { normaliseControlPlane } from '../../../src/capi/normalise/control-plane.ts';
import { normaliseMachine } from '../../../src/capi/normalise/machine.ts';
import { normaliseProviderObject } from '../../../src/capi/normalise/provider-object.ts';
import { normaliseMachineDeployment } from '../../../src/capi/normalise/workers.ts';
import { normaliseClusterClass } from '../../../src/capi/normalise/cluster-class.ts';
import type { CapiView } from '../../../src/capi/views.ts';
import { v1beta1, v1beta2 } from './fixtures.ts';

/** Everything but the API version the object was read at must be the same. */
function shape(view: CapiView): Omit<CapiView, 'apiVersion'> {
  const { apiVersion: _apiVersion, ...rest } = view;
  return rest;
}

describe('normalising v1beta1 and v1beta2 objects into one view', () => {
  it('Cluster: refs, topology, initialization, replica summaries and conditions agree', () => {
    const a = normaliseCluster(v1beta2.cluster, 'mc');
    const b = normaliseCluster(v1beta1.cluster, 'mc');
    expect(shape(b)).toEqual(shape(a));
    expect(a.controlPlaneRef).toEqual({
      group: 'controlplane.cluster.x-k8s.io',
      kind: 'KubeadmControlPlane',
      name: 'c1-cp',
      namespace: 'team-a',
    });
    expect(a.topology?.classRef).toEqual({ name: 'quick-start', namespace: 'team-a' });
    expect(a.workersStatus).toMatchObject({ desired: 2, ready: 1, upToDate: 2 });
    expect(a.conditions.map((c) => c.type)).toEqual(['Available']);
    expect(a.annotations).toEqual({});
  });

  it('KubeadmControlPlane: counters use the v1beta2 meaning, old updatedReplicas only as fallback', () => {
    const a = normaliseControlPlane(v1beta2.kcp, 'mc');
    const b = normaliseControlPlane(v1beta1.kcp, 'mc');
    expect(shape(b)).toEqual(shape(a));
    expect(a).toMatchObject({ desired: 3, replicas: 3, ready: 3, available: 3, upToDate: 2 });
    expect(a.rolloutStrategy).toEqual({ type: 'RollingUpdate', maxSurge: '1', maxUnavailable: null });
    expect(a.infrastructureTemplateRef?.kind).toBe('DockerMachineTemplate');
    expect(a.initialized).toBe(true);

    const { v1beta2: _dropped, ...oldStatus } = v1beta1.kcp.status;
    const old = { ...v1beta1.kcp, status: oldStatus };
    expect(normaliseControlPlane(old, 'mc')).toMatchObject({
      desired: 3,
      replicas: 3,
      ready: 3,
      available: null,
      upToDate: 2,
    });
  });

  it('MachineDeployment: strategy from spec.rollout (v1beta2) or spec.strategy (v1beta1)', () => {
    const a = normaliseMachineDeployment(v1beta2.md, 'mc');
    const b = normaliseMachineDeployment(v1beta1.md, 'mc');
    expect(shape(b)).toEqual(shape(a));
    expect(a.strategy).toEqual({ type: 'RollingUpdate', maxSurge: '1', maxUnavailable: '25%' });
    expect(a.ready).toBe(1);
    expect(a.bootstrapTemplateRef?.kind).toBe('KubeadmConfigTemplate');
  });

  it('Machine: readiness from status.initialization (v1beta2) or the old booleans (v1beta1)', () => {
    const a = normaliseMachine(v1beta2.machine, 'mc');
    const b = normaliseMachine(v1beta1.machine, 'mc');
    expect(shape(b)).toEqual(shape(a));
    expect(a).toMatchObject({
      nodeName: 'node-x',
      bootstrapReady: true,
      infrastructureReady: true,
      providerID: 'docker:////c1-md-x',
      owners: [
        { group: 'cluster.x-k8s.io', kind: 'MachineSet', uid: 'uid-ms', controller: true, name: 'c1-md-abc' },
      ],
    });
  });

  it('provider objects: the contract label decides between status.initialization and status.ready', () => {
    const object = {
      apiVersion: 'infrastructure.acme.io/v1',
      kind: 'AcmeMachine',
      metadata: { name: 'm', namespace: 'ns', uid: 'u' },
      spec: { providerID: 'acme://m' },
      status: { ready: true, initialization: { provisioned: false } },
    };
    expect(
      normaliseProviderObject(object, 'mc', 'InfrastructureMachine', { contract: 'v1beta2' }).provisioned,
    ).toBe(false);
    expect(
      normaliseProviderObject(object, 'mc', 'InfrastructureMachine', { contract: 'v1beta1' }).provisioned,
    ).toBe(true);
    const view = normaliseProviderObject(object, 'mc', 'InfrastructureMachine', { contract: null });
    expect(view.providerID).toBe('acme://m');
    // The stored object is no part of the view: `raw` is read on demand (raw-object-reader.ts).
    expect(view).not.toHaveProperty('raw');
  });

  it('ClusterClass: worker classes from v1beta2 templateRefs and v1beta1 template refs agree', () => {
    const ref = {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'DockerMachineTemplate',
      name: 'w',
    };
    const base = { kind: 'ClusterClass', metadata: { name: 'cc', namespace: 'ns', uid: 'u' } };
    const variables = [{ name: 'v', required: true, schema: { openAPIV3Schema: { type: 'string' } } }];
    const a = normaliseClusterClass(
      {
        ...base,
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        spec: {
          variables,
          workers: { machineDeployments: [{ class: 'default', infrastructure: { templateRef: ref } }] },
        },
      },
      'mc',
    );
    const b = normaliseClusterClass(
      {
        ...base,
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        spec: {
          variables,
          workers: { machineDeployments: [{ class: 'default', template: { infrastructure: { ref } } }] },
        },
      },
      'mc',
    );
    expect(shape(b)).toEqual(shape(a));
    expect(a.variables).toEqual([{ name: 'v', required: true, schema: { type: 'string' } }]);
    expect(a.workerClasses[0]?.infrastructureTemplateRef?.kind).toBe('DockerMachineTemplate');
  });
});
