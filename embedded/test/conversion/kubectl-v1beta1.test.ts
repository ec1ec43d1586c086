/**
 * A provider-style v1beta1 template on a default (v1beta2) embedded cluster, through kubectl:
 * it applies, provisions (Cluster Provisioned, machines Running), reads back at v1beta1 in the
 * v1beta1 shape and at v1beta2 in the v1beta2 shape (both valid for the real CRDs), a v1beta1
 * watch gets converted events, and re-applying the same v1beta1 file changes nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import {
  startTestEmbeddedCluster,
  type TestEmbeddedCluster,
} from '../../../test/support/embedded-cluster.ts';
import {
  FIXTURES,
  SHARED_CAPI,
  SKIP_REASON,
  haveSharedCapi,
  realSchemas,
  schemaProblems,
} from './conversion-support.ts';

const fixture = haveSharedCapi ? readFileSync(join(FIXTURES, 'provider-v1beta1.yaml'), 'utf8') : '';

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | false | undefined>,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'kubectl with CAPI v1beta1 on a v1beta2 cluster' : SKIP_REASON,
  () => {
    let c: TestEmbeddedCluster;
    const checks = haveSharedCapi ? realSchemas() : new Map();

    const getJson = async (
      resource: string,
      name?: string,
    ): Promise<KubeObject & { items?: KubeObject[] }> => {
      const result = await c.kubectl([
        'get',
        resource,
        ...(name ? [name] : []),
        '-n',
        'default',
        '-o',
        'json',
      ]);
      if (result.code !== 0) throw new Error(result.stderr);
      return JSON.parse(result.stdout) as KubeObject & { items?: KubeObject[] };
    };

    beforeAll(async () => {
      c = await startTestEmbeddedCluster({ controllers: true, speed: 30 });
      const crds = readdirSync(join(SHARED_CAPI, 'crds'))
        .map((file) => readFileSync(join(SHARED_CAPI, 'crds', file), 'utf8'))
        .join('\n---\n');
      const applied = await c.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], crds);
      if (applied.code !== 0) throw new Error(`applying the real CRDs failed: ${applied.stderr}`);
    }, 60_000);
    afterAll(async () => {
      await c?.stop();
    });

    it('kubectl apply of the v1beta1 template succeeds', async () => {
      const result = await c.kubectl(['apply', '-f', '-'], fixture);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('cluster.cluster.x-k8s.io/legacy created');
      expect(result.stdout).toContain(
        'kubeadmcontrolplane.controlplane.cluster.x-k8s.io/legacy-control-plane created',
      );
    }, 30_000);

    it('the cluster reaches Provisioned with every machine Running', async () => {
      const machines = await waitFor('3 machines Running', async () => {
        const list = await getJson('machines.v1beta2.cluster.x-k8s.io');
        const items = list.items ?? [];
        return (
          items.length === 3 &&
          items.every((m) => (m['status'] as { phase?: string })?.phase === 'Running') &&
          items
        );
      });
      expect(machines).toHaveLength(3);
      const cluster = await waitFor('Cluster Provisioned', async () => {
        const got = await getJson('clusters.v1beta1.cluster.x-k8s.io', 'legacy');
        const status = got['status'] as { phase?: string; controlPlaneReady?: boolean } | undefined;
        return status?.phase === 'Provisioned' && status.controlPlaneReady === true && got;
      });
      expect(cluster.apiVersion).toBe('cluster.x-k8s.io/v1beta1');
    }, 120_000);

    it('reads back at v1beta1 in the v1beta1 shape, valid for the real v1beta1 schema', async () => {
      const cluster = await getJson('clusters.v1beta1.cluster.x-k8s.io', 'legacy');
      expect(cluster['spec']).toMatchObject({
        infrastructureRef: {
          apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
          kind: 'DockerCluster',
          name: 'legacy',
          namespace: 'default',
        },
        controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane' },
      });
      expect(cluster['status']).toMatchObject({
        phase: 'Provisioned',
        infrastructureReady: true,
        controlPlaneReady: true,
        v1beta2: { conditions: expect.arrayContaining([expect.objectContaining({ type: 'Available' })]) },
      });
      const md = await getJson('machinedeployments.v1beta1.cluster.x-k8s.io', 'legacy-md-0');
      expect(md['spec']).toMatchObject({
        minReadySeconds: 5,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: 1, maxUnavailable: 0, deletePolicy: 'Oldest' },
        },
        template: {
          spec: { nodeDrainTimeout: '2m30s', infrastructureRef: { kind: 'DockerMachineTemplate' } },
        },
      });
      expect(md['status']).toMatchObject({ replicas: 2, v1beta2: { upToDateReplicas: 2 } });
      const problems: string[] = [];
      for (const resource of [
        'clusters.v1beta1.cluster.x-k8s.io',
        'machinedeployments.v1beta1.cluster.x-k8s.io',
        'machinesets.v1beta1.cluster.x-k8s.io',
        'machines.v1beta1.cluster.x-k8s.io',
        'machinehealthchecks.v1beta1.cluster.x-k8s.io',
        'kubeadmcontrolplanes.v1beta1.controlplane.cluster.x-k8s.io',
        'kubeadmconfigs.v1beta1.bootstrap.cluster.x-k8s.io',
        'kubeadmconfigtemplates.v1beta1.bootstrap.cluster.x-k8s.io',
        'clusterresourcesets.v1beta1.addons.cluster.x-k8s.io',
      ]) {
        const list = await getJson(resource);
        expect(list.items?.length, resource).toBeGreaterThan(0);
        for (const item of list.items ?? []) {
          expect(item.apiVersion).toMatch(/\/v1beta1$/);
          problems.push(...schemaProblems(checks, item));
        }
      }
      expect(problems).toEqual([]);
    }, 60_000);

    it('reads the same objects at v1beta2 in the v1beta2 shape', async () => {
      const kcp = await getJson(
        'kubeadmcontrolplanes.v1beta2.controlplane.cluster.x-k8s.io',
        'legacy-control-plane',
      );
      expect(kcp['spec']).toMatchObject({
        machineTemplate: {
          spec: {
            infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachineTemplate' },
            deletion: { nodeDrainTimeoutSeconds: 300 },
          },
        },
        kubeadmConfigSpec: {
          clusterConfiguration: {
            apiServer: { extraArgs: expect.arrayContaining([{ name: 'cloud-provider', value: 'external' }]) },
          },
        },
      });
      expect(schemaProblems(checks, kcp)).toEqual([]);
      const kcpV1 = await getJson(
        'kubeadmcontrolplanes.v1beta1.controlplane.cluster.x-k8s.io',
        'legacy-control-plane',
      );
      expect(kcpV1['status']).toMatchObject({ initialized: true, replicas: 1 });
    });

    it('a v1beta1 watch gets converted events', async () => {
      const child = spawn(
        'kubectl',
        [
          '--kubeconfig',
          c.kubeconfigPath,
          'get',
          'machinedeployments.v1beta1.cluster.x-k8s.io',
          '-n',
          'default',
          '-w',
          '-o',
          'json',
          '--output-watch-events',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      try {
        await waitFor('the initial ADDED event', async () => out.includes('"ADDED"'), 20_000);
        const scaled = await c.kubectl([
          'scale',
          'machinedeployments.v1beta1.cluster.x-k8s.io/legacy-md-0',
          '-n',
          'default',
          '--replicas=3',
        ]);
        expect(scaled.code).toBe(0);
        await waitFor(
          'a MODIFIED event with 3 replicas',
          async () => /"MODIFIED"[\s\S]*"replicas":\s*3/.test(out),
          20_000,
        );
        expect(out).toMatch(/"apiVersion":\s*"cluster.x-k8s.io\/v1beta1"/);
        expect(out).toMatch(/"deletePolicy":\s*"Oldest"/);
        expect(out).not.toContain('"apiGroup"');
      } finally {
        child.kill();
      }
    }, 60_000);

    it('re-applying the v1beta1 file changes nothing (the round trip keeps every user field)', async () => {
      const before = await getJson(
        'kubeadmcontrolplanes.v1beta2.controlplane.cluster.x-k8s.io',
        'legacy-control-plane',
      );
      const md = await getJson('machinedeployments.v1beta2.cluster.x-k8s.io', 'legacy-md-0');
      const reapply = fixture.replace('replicas: 2', 'replicas: 3');
      const result = await c.kubectl(['apply', '-f', '-'], reapply);
      expect(result.code).toBe(0);
      // kubectl may still send a patch (live refs carry the served apiVersion and the namespace,
      // as with CAPI's webhooks); what counts is that nothing changes.
      expect(result.stderr).toBe('');
      const after = await getJson(
        'kubeadmcontrolplanes.v1beta2.controlplane.cluster.x-k8s.io',
        'legacy-control-plane',
      );
      expect(after.metadata.generation).toBe(before.metadata.generation);
      expect(after['spec']).toEqual(before['spec']);
      const mdAfter = await getJson('machinedeployments.v1beta2.cluster.x-k8s.io', 'legacy-md-0');
      expect(mdAfter['spec']).toEqual(md['spec']);
    }, 30_000);
  },
);
