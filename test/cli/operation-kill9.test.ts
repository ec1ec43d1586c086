/**
 * kill -9 of a real `capi-gateway serve` process in the middle of a two-minor upgrade, then a
 * second `serve` with the same config: it takes the operation over once the dead gateway's
 * Lease expires (the default 15 s) and finishes it from where it was — every machine on the
 * target version, no machine rolled twice, one Operation object, SUCCEEDED, driven by the
 * second process. Everything runs as a user would: the management cluster, both gateways and
 * kubectl are separate processes.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runKubectl, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import {
  Day2ClusterDocument,
  Day2OperationDocument,
  type Day2OperationFragment,
  UpgradeClusterDocument,
} from '../generated/graphql.ts';
import {
  applyYaml,
  items,
  MachineHistory,
  plainClusterYaml,
  waitSettled,
} from '../gateway/support/day2-fleet.ts';
import { eventually, gql } from '../gateway/support/gql.ts';
import { childTracker, graphqlLine, type CliChild } from './cli-child.ts';

const MC = 'mc';
const CLUSTER = 'k-kill9';
const FROM = 'v1.32.4';
const TO = 'v1.34.0';

/** The management cluster started as its own process, seen through its kubeconfig file. */
function managementCluster(child: CliChild, dataDir: string): TestEmbeddedCluster {
  const kubeconfigPath = join(dataDir, 'embedded.kubeconfig');
  return {
    url: '',
    kubeconfigPath,
    dataDir,
    kubectl: (args, stdin) => runKubectl(kubeconfigPath, args, stdin),
    stop: () => child.stop('SIGKILL'),
  };
}

async function data<T>(res: Promise<{ data?: T | null; errors?: unknown }>): Promise<T> {
  const { data: value, errors } = await res;
  if (errors !== undefined || value == null) throw new Error(JSON.stringify(errors));
  return value;
}

async function operation(url: string, id: string): Promise<Day2OperationFragment | undefined> {
  return (await data(gql(url, Day2OperationDocument, { id }))).operation ?? undefined;
}

interface OperationObject {
  metadata: { namespace: string; name: string };
  status?: { phase?: string; drivenBy?: string };
}

describe('capi-gateway serve killed with SIGKILL mid-upgrade', () => {
  const children = childTracker();
  let dir: string;
  let mc: TestEmbeddedCluster;
  let history: MachineHistory | undefined;
  let configPath: string;

  const serve = async (): Promise<{ child: CliChild; url: string }> => {
    const child = children.start(['serve', '--port', '0', '--config', configPath]);
    const [, url] = await child.waitForStdout(graphqlLine, 60_000);
    return { child, url: url! };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-kill9-'));
    const dataDir = join(dir, 'mc');
    const embedded = children.start([
      'embedded',
      '--no-demo',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--speed',
      '15',
    ]);
    await embedded.waitForStdout(/kubeconfig:/, 60_000);
    mc = managementCluster(embedded, dataDir);
    history = new MachineHistory(mc);
    await applyYaml(
      mc,
      plainClusterYaml({
        name: CLUSTER,
        version: FROM,
        controlPlaneReplicas: 1,
        workers: [{ name: 'a', replicas: 1 }],
      }),
    );
    configPath = join(dir, 'gateway.yaml');
    await writeFile(
      configPath,
      stringify({ managementClusters: [{ name: MC, kubeconfig: './mc/embedded.kubeconfig' }] }),
    );
    await waitSettled(mc, CLUSTER, 150_000);
  }, 240_000);

  afterAll(async () => {
    history?.stop();
    await children.stopAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is finished by the next gateway process, without rolling a machine twice', async () => {
    const first = await serve();
    const cluster = await eventually(
      async () => {
        const found = (
          await data(gql(first.url, Day2ClusterDocument, { managementCluster: MC, name: CLUSTER }))
        ).cluster;
        return found && 'id' in found ? found : undefined;
      },
      60_000,
      `the gateway to see cluster ${CLUSTER}`,
    );
    // The Operation CRD is installed (and driven) a moment after the gateway starts serving.
    const upgraded = await eventually(
      async () => {
        const res = await gql(first.url, UpgradeClusterDocument, { id: cluster.id, version: TO });
        const payload = res.data?.upgradeCluster;
        return payload?.__typename === 'UpgradeClusterPayload' ? payload : undefined;
      },
      60_000,
      'upgradeCluster to be accepted',
    );
    const opId = upgraded.operation.id;

    // Kill once the first minor is done (or the second has started), before the last step.
    const atKill = await eventually(
      async () => {
        const op = await operation(first.url, opId);
        const moved =
          op?.steps[0]?.phase === 'SUCCEEDED' || (op?.steps[1] && op.steps[1].phase !== 'PENDING');
        return op && moved ? op : undefined;
      },
      120_000,
      'the first control-plane minor to be done',
    );
    expect(atKill.phase).toBe('RUNNING');
    await first.child.stop('SIGKILL');
    expect(first.child.child.signalCode).toBe('SIGKILL');

    const second = await serve();
    const done = await eventually(
      async () => {
        const op = await operation(second.url, opId);
        return op && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(op.phase) ? op : undefined;
      },
      180_000,
      `operation ${opId} to finish`,
    );
    expect(done.phase, `${done.error ?? ''} ${JSON.stringify(done.steps)}`).toBe('SUCCEEDED');
    expect(done.steps.map((s) => [s.name, s.phase])).toEqual([
      ['control-plane/v1.33', 'SUCCEEDED'],
      ['control-plane/v1.34', 'SUCCEEDED'],
      [`machine-deployment/${CLUSTER}-a`, 'SUCCEEDED'],
    ]);

    // What kubectl shows: every machine on the target version, the control plane reporting it.
    await waitSettled(mc, CLUSTER, 60_000);
    const machines = await items(mc, 'machines', CLUSTER);
    expect(machines).toHaveLength(2);
    expect(machines.map((m) => m.spec.version)).toEqual([TO, TO]);
    expect((await items(mc, 'kcp', CLUSTER))[0]?.status?.version).toBe(TO);

    // No machine rolled twice: one control-plane machine per minor, one worker at the target.
    const all = history!.of(CLUSTER);
    const names = (pick: (m: (typeof all)[number]) => boolean) => all.filter(pick).map((m) => m.name);
    expect(names((m) => m.controlPlane && m.version === 'v1.33.0')).toHaveLength(1);
    expect(names((m) => m.controlPlane && m.version === TO)).toHaveLength(1);
    expect(names((m) => !m.controlPlane && m.version === TO)).toHaveLength(1);
    expect(names((m) => m.controlPlane && m.version === FROM)).toHaveLength(1);
    expect(names((m) => !m.controlPlane && m.version === FROM)).toHaveLength(1);

    // One Operation object, SUCCEEDED, last written by the second process.
    const listed = await mc.kubectl(['get', 'operations.capi-gateway.dev', '-A', '-o', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    const objects = (JSON.parse(listed.stdout) as { items: OperationObject[] }).items;
    expect(objects).toHaveLength(1);
    expect(objects[0]!.status?.phase).toBe('SUCCEEDED');
    expect(objects[0]!.status?.drivenBy).toMatch(
      new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-${second.child.child.pid}-`),
    );
  }, 420_000);
});
