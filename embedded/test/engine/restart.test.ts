/**
 * kill -9 of a real `capi-gateway embedded` process with a provisioned fleet, then a restart on
 * the same data dir: the engine resumes from what it persisted — no machine replaced or sent back
 * to Provisioning, no second MachineSet, replica counts unchanged, Clusters stay Available.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/provisioning/render-template.ts';
import { runKubectl } from '../../../test/support/embedded-cluster.ts';
import {
  type Obj,
  type Plural,
  R,
  SHARED_CAPI,
  SKIP_REASON,
  conditionStatus,
  haveSharedCapi,
  readTemplate,
  waitFor,
} from './engine-harness.ts';

const bin = fileURLToPath(new URL('../../../bin/capi-gateway.mjs', import.meta.url));
const NS = 'default';
const SPEED = 50;

interface Embedded {
  child: ChildProcess;
  list(resource: Plural): Promise<Obj[]>;
}

async function startEmbedded(dataDir: string, speed = SPEED): Promise<Embedded> {
  const child = spawn(
    process.execPath,
    [bin, 'embedded', '--no-demo', '--data-dir', dataDir, '--port', '0', '--speed', String(speed)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`embedded did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('kubeconfig:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`embedded exited with ${code}: ${err}`)));
  });
  const config = new KubeConfig();
  config.loadFromFile(join(dataDir, 'embedded.kubeconfig'));
  const custom = config.makeApiClient(CustomObjectsApi);
  return {
    child,
    async list(resource) {
      const body = (await custom.listNamespacedCustomObject({ ...resource, namespace: NS })) as {
        items: Obj[];
      };
      return body.items;
    },
  };
}

function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function topologyClusterYaml(): string {
  const rendered = renderTemplate(readTemplate('cluster-template-in-memory.yaml'), {
    CLUSTER_NAME: 'topo',
    NAMESPACE: NS,
    KUBERNETES_VERSION: 'v1.33.0',
    CONTROL_PLANE_MACHINE_COUNT: '1',
    WORKER_MACHINE_COUNT: '2',
  });
  if (!rendered.ok) throw new Error(rendered.error.message);
  return rendered.yaml;
}

interface Fleet {
  machines: Map<string, string>;
  phases: Map<string, string>;
  deleting: Set<string>;
  machineSets: Map<string, string>;
  replicas: Map<string, number | undefined>;
  notRunning: string[];
  clustersNotAvailable: string[];
}

async function fleetOf(embedded: Embedded): Promise<Fleet> {
  const [machines, machineSets, mds, kcps, clusters] = await Promise.all([
    embedded.list(R.machines),
    embedded.list(R.machineSets),
    embedded.list(R.machineDeployments),
    embedded.list(R.kcps),
    embedded.list(R.clusters),
  ]);
  const uids = (items: Obj[]) => new Map(items.map((o) => [o.metadata.name, o.metadata.uid ?? '']));
  const replicas = new Map<string, number | undefined>();
  for (const o of [...mds, ...kcps, ...machineSets])
    replicas.set(`${o.kind}/${o.metadata.name}`, o.spec?.replicas as number | undefined);
  return {
    machines: uids(machines),
    deleting: new Set(machines.filter((m) => m.metadata.deletionTimestamp).map((m) => m.metadata.name)),
    phases: new Map(machines.map((m) => [m.metadata.name, String(m.status?.phase)])),
    machineSets: uids(machineSets),
    replicas,
    notRunning: machines
      .filter((m) => m.status?.phase !== 'Running' || m.metadata.deletionTimestamp)
      .map((m) => `${m.metadata.name}: ${String(m.status?.phase)}`),
    clustersNotAvailable: clusters
      .filter((c) => conditionStatus(c, 'Available') !== 'True')
      .map((c) => c.metadata.name),
  };
}

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'engine: kill -9 and restart of `capi-gateway embedded`' : SKIP_REASON,
  () => {
    let dataDir: string;
    let embedded: Embedded | undefined;
    const kubeconfig = () => join(dataDir, 'embedded.kubeconfig');

    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'capi-engine-restart-'));
    });
    afterEach(async () => {
      if (embedded) await killHard(embedded.child);
      embedded = undefined;
      await rm(dataDir, { recursive: true, force: true });
    });

    const applyRealCrds = async (): Promise<void> => {
      const crds = readdirSync(join(SHARED_CAPI, 'crds'))
        .map((file) => readFileSync(join(SHARED_CAPI, 'crds', file), 'utf8'))
        .join('\n---\n');
      const applied = await runKubectl(
        kubeconfig(),
        ['apply', '--server-side', '--force-conflicts', '-f', '-'],
        crds,
      );
      expect(applied.code, applied.stderr).toBe(0);
    };
    const apply = async (yaml: string): Promise<void> => {
      const result = await runKubectl(kubeconfig(), ['apply', '-f', '-'], yaml);
      expect(result.code, result.stderr).toBe(0);
    };

    it('resumes a provisioned fleet: same machines, same MachineSets, same replicas, Clusters Available', async () => {
      embedded = await startEmbedded(dataDir);
      await applyRealCrds();
      await apply(readTemplate('simple-cluster.yaml'));
      await apply(readTemplate('clusterclass-in-memory.yaml'));
      await apply(topologyClusterYaml());
      const running = embedded;
      const before = await waitFor(
        'both clusters Available with 2 + 3 machines Running',
        async () => {
          const fleet = await fleetOf(running);
          return (
            fleet.machines.size === 5 &&
            fleet.notRunning.length === 0 &&
            fleet.clustersNotAvailable.length === 0 &&
            fleet
          );
        },
        40_000,
      );

      await killHard(embedded.child);
      embedded = undefined;
      embedded = await startEmbedded(dataDir);
      const restarted = embedded;

      // Proof the restarted engine looked at everything: an explicit `paused: false` bumps each
      // Cluster's generation and fans out to every object of it (as un-pausing does); the
      // Clusters' status observes the new generation once reconciled.
      for (const name of ['my-cluster', 'topo']) {
        const patched = await runKubectl(kubeconfig(), [
          'patch',
          'cluster',
          name,
          '-n',
          NS,
          '--type',
          'merge',
          '-p',
          '{"spec":{"paused":false}}',
        ]);
        expect(patched.code, patched.stderr).toBe(0);
      }
      // Every state seen after the restart is the state before it.
      const seen: string[] = [];
      const changed: string[] = [];
      await waitFor('both Clusters reconciled by the restarted engine', async () => {
        const fleet = await fleetOf(restarted);
        seen.push(
          ...fleet.notRunning.map((m) => `machine ${m}`),
          ...fleet.clustersNotAvailable.map((c) => `cluster ${c} not Available`),
        );
        for (const [what, now, then] of [
          ['machines', fleet.machines, before.machines],
          ['MachineSets', fleet.machineSets, before.machineSets],
          ['replicas', fleet.replicas, before.replicas],
        ] as const)
          if (JSON.stringify([...now]) !== JSON.stringify([...then])) changed.push(what);
        const clusters = await restarted.list(R.clusters);
        return clusters.every((c) => c.status?.observedGeneration === c.metadata.generation);
      });
      expect([...new Set(changed)]).toEqual([]);
      expect([...new Set(seen)]).toEqual([]);
    }, 90_000);

    it('resumes a fleet killed mid-provisioning: the machines it had finish, none is added or replaced', async () => {
      // Slow enough that the kill lands while the first machines boot.
      embedded = await startEmbedded(dataDir, 5);
      await apply(readTemplate('simple-cluster.yaml'));
      const booting = embedded;
      const before = await waitFor('a control-plane machine booting', async () => {
        const fleet = await fleetOf(booting);
        return fleet.machines.size > 0 && fleet.notRunning.length === fleet.machines.size && fleet;
      });
      await killHard(embedded.child);
      embedded = undefined;
      embedded = await startEmbedded(dataDir, 5);
      const restarted = embedded;
      // A machine never goes back to an earlier phase: the restart resumes its start-up.
      const ORDER = ['undefined', 'Pending', 'Provisioning', 'Provisioned', 'Running'];
      const regressions: string[] = [];
      const latest = new Map(before.phases);
      const after = await waitFor(
        'both machines Running, the Cluster Available',
        async () => {
          const fleet = await fleetOf(restarted);
          for (const [name, phase] of fleet.phases) {
            const previous = latest.get(name);
            if (previous && ORDER.indexOf(phase) < ORDER.indexOf(previous))
              regressions.push(`${name}: ${previous} → ${phase}`);
            latest.set(name, phase);
          }
          return (
            fleet.machines.size === 2 &&
            fleet.notRunning.length === 0 &&
            fleet.clustersNotAvailable.length === 0 &&
            fleet
          );
        },
        40_000,
      );
      expect(regressions).toEqual([]);
      for (const [name, uid] of before.machines) expect(after.machines.get(name)).toBe(uid);
      expect(after.machineSets.size).toBe(1);
      expect(after.replicas.get('KubeadmControlPlane/controlplane')).toBe(1);
      expect(after.replicas.get('MachineDeployment/worker-md-0')).toBe(1);
    }, 90_000);

    it('resumes a rollout killed halfway: one new MachineSet, never more than replicas + maxSurge machines', async () => {
      embedded = await startEmbedded(dataDir, 10);
      await apply(
        readTemplate('simple-cluster.yaml').replace(
          '  replicas: 1\n  selector:',
          '  replicas: 3\n  selector:',
        ),
      );
      const first = embedded;
      // Live workers: a machine being deleted no longer counts against maxSurge (as in CAPI).
      const workersOf = (fleet: Fleet) =>
        [...fleet.machines.keys()].filter((m) => m.startsWith('worker-md-0') && !fleet.deleting.has(m));
      const settled = await waitFor(
        'three workers Running',
        async () => {
          const fleet = await fleetOf(first);
          return workersOf(fleet).length === 3 && fleet.notRunning.length === 0 && fleet;
        },
        40_000,
      );
      const after = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const patched = await runKubectl(kubeconfig(), [
        'patch',
        'machinedeployment',
        'worker-md-0',
        '--type',
        'merge',
        '-p',
        JSON.stringify({ spec: { rollout: { after } } }),
      ]);
      expect(patched.code, patched.stderr).toBe(0);
      const halfway = await waitFor('the rollout halfway', async () => {
        const fleet = await fleetOf(first);
        return fleet.machineSets.size === 2 && workersOf(fleet).length === 4 && fleet;
      });
      const [newSet] = [...halfway.machineSets.keys()].filter((name) => !settled.machineSets.has(name));
      await killHard(embedded.child);
      embedded = undefined;
      embedded = await startEmbedded(dataDir, 10);
      const restarted = embedded;
      const excess: string[] = [];
      const done = await waitFor(
        'the rollout finished: 3 new workers Running',
        async () => {
          const fleet = await fleetOf(restarted);
          if (fleet.machineSets.size > 2)
            excess.push(`MachineSets ${[...fleet.machineSets.keys()].join(', ')}`);
          if (workersOf(fleet).length > 4) excess.push(`workers ${workersOf(fleet).join(', ')}`);
          return (
            fleet.machineSets.size === 1 &&
            workersOf(fleet).length === 3 &&
            fleet.notRunning.length === 0 &&
            fleet
          );
        },
        40_000,
      );
      expect(excess).toEqual([]);
      expect([...done.machineSets.keys()]).toEqual([newSet]);
    }, 90_000);
  },
);
