/**
 * `status.deprecated.v1beta1` written by the engine, read as a v1beta1 client reads it (the API
 * server converts): legacy counters and v1beta1 conditions (with severity) on the
 * MachineDeployment, MachineSet, KubeadmControlPlane, Machines and Cluster of a plain cluster —
 * what older dashboards and Argo CD's CAPI health check look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crdProblems } from './crd-conformance.ts';
import {
  type EngineHarness,
  type Obj,
  type Plural,
  R,
  SKIP_REASON,
  haveSharedCapi,
  readTemplate,
  startEngineHarness,
  waitFor,
} from './engine-harness.ts';

const NS = 'default';
const MD = 'worker-md-0';
const v1beta1 = (resource: Plural): Plural => ({ ...resource, version: 'v1beta1' });

interface LegacyCondition {
  type: string;
  status: string;
  severity?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
const conditionsOf = (object: Obj | undefined): LegacyCondition[] =>
  (object?.status?.conditions ?? []) as LegacyCondition[];
const legacyReady = (object: Obj | undefined): string | undefined =>
  conditionsOf(object).find((c) => c.type === 'Ready')?.status;

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'engine: status.deprecated.v1beta1 (legacy conditions and counters)' : SKIP_REASON,
  () => {
    let h: EngineHarness;

    beforeAll(async () => {
      h = await startEngineHarness({ speed: 50 });
      await h.apply(readTemplate('simple-cluster.yaml'));
      await h.patch(R.machineDeployments, NS, MD, { spec: { replicas: 2 } });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('a v1beta1 read of the MachineDeployment shows the legacy counters and conditions', async () => {
      const md = await waitFor('the v1beta1 MachineDeployment reports 2 ready replicas', async () => {
        const read = await h.get(v1beta1(R.machineDeployments), NS, MD);
        return read?.status?.readyReplicas === 2 && legacyReady(read) === 'True' && read;
      });
      expect(md.apiVersion).toBe('cluster.x-k8s.io/v1beta1');
      expect(md.status).toMatchObject({
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        unavailableReplicas: 0,
        // The v1beta2 counters, as a v1beta1 reader finds them.
        v1beta2: { readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 2 },
      });
      const conditions = conditionsOf(md);
      // CAPI's order: Ready first, then by type.
      expect(conditions.map((c) => c.type)).toEqual(['Ready', 'Available', 'MachineSetReady']);
      for (const condition of conditions) {
        expect(condition).toMatchObject({ status: 'True' });
        expect(condition.lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(condition.severity).toBeUndefined();
      }
    });

    it('a scale up shows as Resized=False with severity Warning until the machines are ready', async () => {
      await h.patch(R.machineDeployments, NS, MD, { spec: { replicas: 3 } });
      const resizing = await waitFor('the MachineSet reports a legacy resize in progress', async () => {
        const [ms] = await h.list(v1beta1(R.machineSets), NS);
        const resized = conditionsOf(ms).find((c) => c.type === 'Resized');
        return resized?.status === 'False' && resized;
      });
      expect(resizing).toMatchObject({ severity: 'Warning', reason: 'ScalingUp' });
      expect(resizing.message).toMatch(/^Scaling up MachineSet to 3 replicas \(actual [23]\)$/);
      const [ms] = await waitFor('the MachineSet resized', async () => {
        const sets = await h.list(v1beta1(R.machineSets), NS);
        return sets[0]?.status?.readyReplicas === 3 && legacyReady(sets[0]) === 'True' && sets;
      });
      expect(ms?.status).toMatchObject({ fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
      expect(conditionsOf(ms).map((c) => [c.type, c.status])).toEqual([
        ['Ready', 'True'],
        ['MachinesCreated', 'True'],
        ['MachinesReady', 'True'],
        ['Resized', 'True'],
      ]);
    });

    it('the control plane, machines and Cluster carry their legacy Ready summaries', async () => {
      const kcp = await waitFor('the v1beta1 KubeadmControlPlane ready', async () => {
        const read = await h.get(v1beta1(R.kcps), NS, 'controlplane');
        return legacyReady(read) === 'True' && read;
      });
      expect(kcp.status).toMatchObject({ updatedReplicas: 1, readyReplicas: 1, unavailableReplicas: 0 });
      expect(conditionsOf(kcp).map((c) => c.type)).toEqual([
        'Ready',
        'Available',
        'CertificatesAvailable',
        'MachinesCreated',
        'MachinesReady',
        'Resized',
      ]);
      const machines = await h.list(v1beta1(R.machines), NS);
      expect(machines).toHaveLength(4);
      for (const machine of machines)
        expect(conditionsOf(machine).map((c) => [c.type, c.status])).toEqual([
          ['Ready', 'True'],
          ['BootstrapReady', 'True'],
          ['InfrastructureReady', 'True'],
          ['NodeHealthy', 'True'],
        ]);
      const cluster = await waitFor('the v1beta1 Cluster ready', async () => {
        const read = await h.get(v1beta1(R.clusters), NS, 'my-cluster');
        return legacyReady(read) === 'True' && read;
      });
      expect(conditionsOf(cluster).map((c) => c.type)).toEqual([
        'Ready',
        'ControlPlaneInitialized',
        'ControlPlaneReady',
        'InfrastructureReady',
      ]);
    });

    it('everything written stays inside the real CAPI v1beta2 schemas', async () => {
      for (const resource of [R.clusters, R.kcps, R.machineDeployments, R.machineSets, R.machines])
        for (const object of await h.list(resource, NS)) {
          expect(object.status?.deprecated, `${object.kind} ${object.metadata.name}`).toBeDefined();
          expect(crdProblems(object), `${object.kind} ${object.metadata.name}`).toEqual([]);
        }
    });
  },
);
