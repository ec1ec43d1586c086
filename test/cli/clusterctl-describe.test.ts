/**
 * `capi-gateway describe cluster` against clusterctl's own, on the REAL management cluster
 * (test/realcluster: the CAPI v1.14 managers, the dev provider's in-memory backend) with clusterctl
 * built from the same release: a topology cluster of 3 control-plane machines and 2 workers,
 * described by both through the same kubeconfig (the CLI through a gateway serving it). Once the
 * cluster has settled, the two tables list the same rows with the same counters, statuses, reasons
 * and messages, byte for byte but for the ages in SINCE, for each set of flags.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../contract/cluster-lifecycle.ts';
import { sharedCapiDir } from '../contract/fixtures.ts';
import { createAll, testKube } from '../contract/kube.ts';
import { startRealCluster, type RealCluster } from '../realcluster/fixture.ts';
import { findClusterctl, findRealClusterInstall } from '../realcluster/install.ts';
import { childTracker, finished, graphqlLine, pollUntil } from './cli-child.ts';
import { parseDescribeTable, withoutSince } from './describe-table.ts';

const install = findRealClusterInstall();
const clusterctl = findClusterctl();
const capiDir = sharedCapiDir();
const skip =
  (install.ok ? undefined : install.reason) ??
  (clusterctl.ok ? undefined : clusterctl.reason) ??
  (capiDir === undefined ? '../shared/capi is absent' : undefined);
if (skip) console.warn(`clusterctl describe parity skipped: ${skip}`);

const namespace = 'describe-parity';
const clusterName = 'parity';
const run = promisify(execFile);

/** The flag sets compared, clusterctl's spelling (the CLI takes the same). */
const flagSets = [
  [],
  ['--grouping=false'],
  ['--show-machinesets'],
  ['--echo', '--grouping=false'],
  ['--show-conditions', 'all'],
  ['--show-conditions', 'KubeadmControlPlane,machine+', '--grouping=false', '--show-machinesets'],
];

describe.skipIf(skip)('describe cluster: the CLI and clusterctl v1.14 on a real management cluster', () => {
  const children = childTracker();
  const dir = mkdtempSync(join(tmpdir(), 'capi-gateway-clusterctl-describe-'));
  let cluster: RealCluster | undefined;
  let url = '';

  const requireCluster = (): RealCluster => {
    if (cluster === undefined) throw new Error('the real management cluster did not start');
    return cluster;
  };

  /** clusterctl with a home of its own: no user config, no version check over the network. */
  async function clusterctlDescribe(flags: string[]): Promise<string> {
    if (!clusterctl.ok) throw new Error(clusterctl.reason);
    const home = join(dir, 'clusterctl-home');
    const { stdout } = await run(
      clusterctl.path,
      [
        'describe',
        'cluster',
        clusterName,
        '-n',
        namespace,
        '--kubeconfig',
        requireCluster().kubeconfigPath,
        ...flags,
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
          CLUSTERCTL_DISABLE_VERSIONCHECK: 'true',
          GOPROXY: 'off',
        },
        timeout: 60_000,
      },
    );
    return stdout;
  }

  async function gatewayDescribe(flags: string[]): Promise<string> {
    const r = await finished(['describe', 'cluster', clusterName, '-n', namespace, '--url', url, ...flags]);
    if (r.code !== 0) throw new Error(`capi-gateway describe exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  const both = async (flags: string[]) => {
    const [gateway, reference] = await Promise.all([gatewayDescribe(flags), clusterctlDescribe(flags)]);
    return { gateway, clusterctl: reference };
  };

  beforeAll(async () => {
    if (capiDir === undefined) throw new Error('../shared/capi is absent');
    cluster = await startRealCluster();
    const kube = testKube(cluster.kubeconfigPath);
    await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
    const variables = {
      NAMESPACE: namespace,
      CLUSTER_NAME: clusterName,
      KUBERNETES_VERSION: 'v1.35.0',
      CONTROL_PLANE_MACHINE_COUNT: '3',
      WORKER_MACHINE_COUNT: '2',
    };
    await createAll(
      kube,
      [
        ...render(capiDir, 'clusterclass-in-memory.yaml', variables),
        ...render(capiDir, 'cluster-template-in-memory.yaml', variables),
      ],
      namespace,
    );
    writeFileSync(
      join(dir, 'gateway.yaml'),
      `managementClusters:\n  - name: real\n    kubeconfig: ${JSON.stringify(cluster.kubeconfigPath)}\n`,
    );
    const gateway = children.start([
      'serve',
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--config',
      join(dir, 'gateway.yaml'),
    ]);
    url = (await gateway.waitForStdout(graphqlLine, 120_000))[1]!;
  }, 600_000);

  afterAll(async () => {
    await children.stopAll();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('settled, both draw the same tree: every machine available, ready and up to date', async () => {
    // Polled with a deadline: the gateway's caches follow the API server a moment behind.
    const settled = await pollUntil(
      'the cluster settled, clusterctl and the CLI agreeing',
      () => both([]),
      (out) => {
        // Settled: every machine available, ready and up to date as clusterctl counts them.
        const top = parseDescribeTable(out.clusterctl)[0];
        const counts = top && [top.REPLICAS, top.AVAILABLE, top.READY, top['UP TO DATE']].join(' ');
        return (
          counts === '5/5 5 5 5' &&
          top?.STATUS === 'True' &&
          withoutSince(out.gateway) === withoutSince(out.clusterctl)
        );
      },
      480_000,
    );
    const rows = parseDescribeTable(settled.gateway).map((r) => ({
      name: r.NAME.replace(/-[a-z0-9]{5}(?=[,\s]|$)/g, '-*'),
      counts: [r.REPLICAS, r.AVAILABLE, r.READY, r['UP TO DATE']].join(' '),
      status: `${r.STATUS} ${r.REASON}`,
    }));
    expect(rows).toEqual([
      { name: `Cluster ${namespace}/parity, v1.35.0`, counts: '5/5 5 5 5', status: 'True Available' },
      { name: `├─DevCluster ${namespace}/parity-*`, counts: '   ', status: ' ' },
      {
        name: `├─KubeadmControlPlane ${namespace}/parity-*, v1.35.0`,
        counts: '3/3 3 3 3',
        status: 'True Available',
      },
      { name: '│ └─3 Machines...', counts: ' 3 3 3', status: 'True Ready' },
      { name: '└─Workers', counts: '   ', status: ' ' },
      {
        name: `  └─MachineDeployment ${namespace}/parity-md-0-*, v1.35.0`,
        counts: '2/2 2 2 2',
        status: 'True Available',
      },
      { name: '    └─2 Machines...', counts: ' 2 2 2', status: 'True Ready' },
    ]);
  }, 600_000);

  it.each(flagSets.map((flags) => [flags.join(' ') || '(no flags)', flags] as const))(
    'with %s, the same rows, counters, conditions and messages',
    async (_label, flags) => {
      const out = await pollUntil(
        `clusterctl and the CLI agreeing on describe ${flags.join(' ')}`,
        () => both(flags),
        (o) => withoutSince(o.gateway) === withoutSince(o.clusterctl),
        60_000,
      ).catch(async () => both(flags));
      expect(withoutSince(out.gateway)).toBe(withoutSince(out.clusterctl));
      const rows = (o: string) =>
        parseDescribeTable(o).map((r) => [r.NAME, r.REPLICAS, r.AVAILABLE, r.READY, r['UP TO DATE']]);
      expect(rows(out.gateway)).toEqual(rows(out.clusterctl));
    },
    120_000,
  );
});
