/**
 * `capi-gateway get` and `describe` as a user runs them: child processes against a running
 * gateway serving its demo fleet (demo-plain: 1 control-plane machine, 2 workers in one
 * MachineDeployment; demo-topology: 3 control-plane machines, pools of 2 and 1).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeHeaders, parseDescribeTable } from './describe-table.ts';
import { childTracker, finished, graphqlLine, pollUntil } from './cli-child.ts';

interface ListedCluster {
  name: string;
  phase: string | null;
  managementCluster: { name: string };
  summary: { controlPlane: { ready: number | null }; workers: { ready: number | null } };
}

describe('capi-gateway get / describe against a running gateway', () => {
  const children = childTracker();
  let dir: string;
  let url: string;

  const cli = (...args: string[]) => finished([...args, '--url', url]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-client-cli-'));
    const gateway = children.start([
      'serve',
      '--port',
      '0',
      '--speed',
      '20',
      '--data-dir',
      join(dir, 'data'),
    ]);
    url = (await gateway.waitForStdout(graphqlLine))[1]!;
    // The demo fleet is ready when both clusters show every replica ready.
    await pollUntil(
      'the demo fleet ready',
      async () => {
        const r = await cli('get', 'clusters', '-o', 'json');
        return r.code === 0 ? (JSON.parse(r.stdout) as { items: ListedCluster[] }).items : [];
      },
      (items) =>
        items.length === 2 &&
        items.every((c) => c.phase === 'Provisioned') &&
        items.find((c) => c.name === 'demo-topology')?.summary.workers.ready === 3 &&
        items.find((c) => c.name === 'demo-topology')?.summary.controlPlane.ready === 3 &&
        items.find((c) => c.name === 'demo-plain')?.summary.workers.ready === 2,
      120_000,
    );
  }, 180_000);

  afterAll(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('get clusters prints a kubectl-style table with a header and one row per cluster', async () => {
    const r = await cli('get', 'clusters');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/ {3,}/)).toEqual([
      'MANAGEMENT CLUSTER',
      'NAMESPACE',
      'NAME',
      'CLASS',
      'PHASE',
      'VERSION',
      'CONTROL PLANE',
      'WORKERS',
      'AGE',
    ]);
    const rows = lines.slice(1).map((l) => l.split(/\s+/));
    expect(rows.map((cells) => cells.slice(0, 5))).toEqual([
      ['embedded', 'default', 'demo-plain', '<none>', 'Provisioned'],
      ['embedded', 'default', 'demo-topology', 'capi-gateway-demo', 'Provisioned'],
    ]);
    expect(rows.map((cells) => cells.slice(6, 8))).toEqual([
      ['1/1', '2/2'],
      ['3/3', '3/3'],
    ]);
    // Not a terminal: no colour codes.
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('get clusters -o json parses; -n and --mc filter; -o yaml is YAML', async () => {
    const json = await cli('get', 'clusters', '-o', 'json', '-n', 'default', '--mc', 'embedded');
    const items = (JSON.parse(json.stdout) as { items: ListedCluster[] }).items;
    expect(items.map((c) => [c.managementCluster.name, c.name])).toEqual([
      ['embedded', 'demo-plain'],
      ['embedded', 'demo-topology'],
    ]);
    const none = await cli('get', 'clusters', '-n', 'nowhere');
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No clusters found.\n' });
    const yaml = await cli('get', 'clusters', '-o', 'yaml');
    expect(yaml.stdout).toMatch(/^kind: List\nitems:\n {2}- id: /);
  });

  it('get machines and get managementclusters', async () => {
    const machines = await cli('get', 'machines', '-o', 'json');
    expect((JSON.parse(machines.stdout) as { items: unknown[] }).items).toHaveLength(9);
    const mcs = await cli('get', 'managementclusters');
    expect(mcs.code).toBe(0);
    expect(mcs.stdout.split('\n')[1]!.split(/\s+/).slice(0, 3)).toEqual(['embedded', 'True', 'True']);
  });

  it("get machinedeployments prints CAPI's printer columns; -o json and -l filter", async () => {
    const r = await cli('get', 'machinedeployments');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/ {3,}/)).toEqual([
      'MANAGEMENT CLUSTER',
      'NAMESPACE',
      'NAME',
      'CLUSTER',
      'AVAILABLE',
      'DESIRED',
      'CURRENT',
      'READY',
      'AVAILABLE',
      'UP-TO-DATE',
      'PHASE',
      'AGE',
      'VERSION',
    ]);
    const rows = lines.slice(1).map((l) => l.split(/\s+/));
    expect(rows.map((cells) => [cells[3], ...cells.slice(4, 10)])).toEqual([
      ['demo-plain', 'True', '2', '2', '2', '2', '2'],
      ['demo-topology', 'True', '2', '2', '2', '2', '2'],
      ['demo-topology', 'True', '1', '1', '1', '1', '1'],
    ]);
    const wide = await cli('get', 'md', '-o', 'wide');
    expect(wide.stdout.split('\n')[0]).toMatch(/UP-TO-DATE {3}PAUSED {3}PHASE/);
    const json = await cli('get', 'machinedeployments', '-o', 'json', '--mc', 'embedded', '-n', 'default');
    const items = (JSON.parse(json.stdout) as { items: Array<{ cluster: string; desired: number }> }).items;
    expect(items.map((i) => [i.cluster, i.desired])).toEqual([
      ['demo-plain', 2],
      ['demo-topology', 2],
      ['demo-topology', 1],
    ]);
    const none = await cli('get', 'machinedeployments', '-l', 'no-such-label=x');
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No machinedeployments found.\n' });
  });

  it('get operations lists the history (none yet on a fresh demo fleet) and refuses -l', async () => {
    const json = await cli('get', 'operations', '-o', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'List' });
    const selector = await cli('get', 'operations', '-l', 'a=b');
    expect(selector).toMatchObject({
      code: 1,
      stderr: 'error: get operations does not take -l (operations have no labels)\n',
    });
  });

  it('describe cluster draws the clusterctl tree, grouping identical machines', async () => {
    const r = await cli('describe', 'cluster', 'demo-topology');
    expect(r.code).toBe(0);
    const names = treeNames(r.stdout);
    expect(names[0]).toBe('NAME');
    // Rows are "Kind namespace/name, version" as clusterctl names them.
    expect(names[1]).toMatch(/^Cluster default\/demo-topology, v\d+\.\d+\.\d+$/);
    expect(names.slice(1).map(shape)).toEqual([
      'Cluster default/demo-topology',
      '├─DevCluster default/demo-topology-*',
      '├─KubeadmControlPlane default/demo-topology-*',
      '│ └─3 Machines...',
      '└─Workers',
      '  ├─MachineDeployment default/demo-topology-pool-a-*',
      '  │ └─2 Machines...',
      '  └─MachineDeployment default/demo-topology-pool-b-*',
      '    └─Machine default/demo-topology-pool-b-*',
    ]);
    // clusterctl's table: one space between columns, every cell padded to its column.
    expect(r.stdout.split('\n')[0]!.trim().split(/ +/)).toEqual([
      'NAME',
      'REPLICAS',
      'AVAILABLE',
      'READY',
      'UP',
      'TO',
      'DATE',
      'STATUS',
      'REASON',
      'SINCE',
      'MESSAGE',
    ]);
    const cp = row(r.stdout, '3 Machines...');
    expect(cp.slice(0, 5)).toEqual(['3', '3', '3', 'True', 'Ready']);
    expect(r.stdout).toMatch(/See demo-topology-\S+, demo-topology-\S+, \.\.\. *\n/);
  });

  it('describe --grouping=false lists each machine; --show-machinesets adds the MachineSet level', async () => {
    const r = await cli(
      'describe',
      'cluster',
      'demo-plain',
      '-n',
      'default',
      '--mc',
      'embedded',
      '--grouping=false',
      '--show-machinesets',
    );
    expect(r.code).toBe(0);
    expect(treeNames(r.stdout).slice(1).map(shape)).toEqual([
      'Cluster default/demo-plain',
      '├─DevCluster default/demo-plain',
      '├─KubeadmControlPlane default/demo-plain-control-plane',
      '│ └─Machine default/demo-plain-control-plane-*',
      '└─Workers',
      '  └─MachineDeployment default/demo-plain-workers',
      '    └─MachineSet default/demo-plain-workers-*',
      '      ├─Machine default/demo-plain-workers-*',
      '      └─Machine default/demo-plain-workers-*',
    ]);
    const grouped = await cli('describe', 'cluster', 'demo-plain');
    expect(treeNames(grouped.stdout).slice(1).map(shape)).toContain('    └─2 Machines...');
  });

  it('describe --show-machinehealthchecks adds the MachineHealthChecks and their targets; --disable-grouping', async () => {
    const r = await cli('describe', 'cluster', 'demo-topology', '--show-machinehealthchecks');
    expect(r.code).toBe(0);
    const names = treeNames(r.stdout).slice(1).map(shape);
    const checks = names.slice(names.indexOf('├─MachineHealthChecks'), names.indexOf('└─Workers'));
    // Siblings are ordered by name; the control plane's generated suffix decides where it sorts.
    expect(checks[0]).toBe('├─MachineHealthChecks');
    expect(
      checks
        .slice(1)
        .map((n) => n.replace(/^│ [├└]─/, ''))
        .sort(),
    ).toEqual([
      'MachineHealthCheck default/demo-topology-*',
      'MachineHealthCheck default/demo-topology-pool-a-*',
      'MachineHealthCheck default/demo-topology-pool-b-*',
    ]);
    expect(checks.at(-1)).toMatch(/^│ └─/);
    expect(r.stdout).toMatch(
      /MachineHealthCheck default\/demo-topology-pool-b-\S+ +1\/1 +1 +True +RemediationAllowed /,
    );
    expect(r.stdout).toMatch(/Checks demo-topology-pool-b-\S+ *\n/);
    const plain = await cli('describe', 'cluster', 'demo-topology');
    expect(plain.stdout).not.toContain('MachineHealthCheck');
    const disabled = await cli('describe', 'cluster', 'demo-plain', '--disable-grouping');
    const off = await cli('describe', 'cluster', 'demo-plain', '--grouping=false');
    expect(treeNames(disabled.stdout)).toEqual(treeNames(off.stdout));
    expect(treeNames(disabled.stdout).map(shape)).toContain('    ├─Machine default/demo-plain-workers-*');
  });

  it('an unknown cluster is one line on stderr and exit 3', async () => {
    const r = await cli('describe', 'cluster', 'no-such-cluster');
    expect(r).toMatchObject({ code: 3, stdout: '', stderr: 'error: cluster "no-such-cluster" not found\n' });
    const direct = await cli('describe', 'cluster', 'no-such-cluster', '-n', 'default', '--mc', 'embedded');
    expect(direct.code).toBe(3);
    expect(direct.stderr.trimEnd().split('\n')).toHaveLength(1);
    const mc = await cli('describe', 'cluster', 'demo-plain', '-n', 'default', '--mc', 'nowhere');
    expect(mc.code).toBe(3);
    expect(mc.stderr).toMatch(/^error: .*nowhere.*\n$/);
  });

  it('bad flags and unknown resources exit 1 naming the problem', async () => {
    const badOutput = await cli('get', 'clusters', '-o', 'bogus');
    expect(badOutput.code).toBe(1);
    expect(badOutput.stderr).toMatch(/^error: option '-o, --output <format>' argument 'bogus' is invalid/);
    const unknownFlag = await cli('get', 'clusters', '--bogus');
    expect(unknownFlag.code).toBe(1);
    expect(unknownFlag.stderr).toBe(
      "error: unknown option '--bogus'\nSee 'capi-gateway get --help' for usage.\n",
    );
    const resource = await cli('get', 'widgets');
    expect(resource).toMatchObject({
      code: 1,
      stderr:
        'error: unknown resource "widgets" (one of: clusters, machines, machinedeployments, managementclusters, operations)\n',
    });
    const grouping = await cli('describe', 'cluster', 'demo-plain', '--grouping=maybe');
    expect(grouping.code).toBe(1);
  });
});

describe('capi-gateway get with a management cluster down', () => {
  const children = childTracker();
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-client-cli-down-'));
  });
  afterAll(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints what answered, a warning naming the one that did not, and exits 4', async () => {
    const port = await closedPort();
    await writeFile(
      join(dir, 'down.kubeconfig'),
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{ name: down, cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]`,
        'users: [{ name: u, user: { token: t } }]',
        'contexts: [{ name: down, context: { cluster: down, user: u } }]',
        'current-context: down',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'gateway.yaml'),
      'managementClusters:\n  - name: local\n    embedded: true\n  - name: down\n    kubeconfig: ./down.kubeconfig\n',
    );
    const gateway = children.start([
      'serve',
      '--port',
      '0',
      '--speed',
      '20',
      '--data-dir',
      join(dir, 'data'),
      '--config',
      join(dir, 'gateway.yaml'),
    ]);
    const url = (await gateway.waitForStdout(graphqlLine))[1]!;
    const r = await pollUntil(
      'the demo clusters listed with down reported',
      () => finished(['get', 'clusters', '--url', url]),
      (res) => res.code === 4 && res.stdout.includes('demo-topology') && res.stdout.includes('demo-plain'),
      120_000,
    );
    expect(r.stderr).toMatch(/^warning: management cluster down: .+\n$/);
    const mcs = await finished(['get', 'managementclusters', '--url', url]);
    expect(mcs.code).toBe(0);
    expect(mcs.stdout).toMatch(/\ndown\s+False\s/);
  }, 180_000);
});

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('capi-gateway get against nothing', () => {
  it('an unreachable gateway is one line, "cannot reach the gateway at URL", and exit 2', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    for (const args of [
      ['get', 'clusters'],
      ['describe', 'cluster', 'x'],
    ]) {
      const r = await finished([...args, '--url', url]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`error: cannot reach the gateway at ${url} (ECONNREFUSED)\n`);
    }
  }, 60_000);
});

/** The NAME column of a describe tree (as wide as its header's NAME column). */
function treeNames(out: string): string[] {
  const lines = out.trimEnd().split('\n');
  const width = lines[0]!.indexOf('REPLICAS');
  return lines.map((line) => line.slice(0, width).trimEnd());
}

const stems = [
  'demo-topology-pool-a',
  'demo-topology-pool-b',
  'demo-plain-control-plane',
  'demo-plain-workers',
  'demo-topology',
];

/** Versions dropped and generated name suffixes as `*` (after the longest known stem). */
function shape(row: string): string {
  const name = row.replace(/, v\d+\.\d+\.\d+$/, '');
  const slash = name.lastIndexOf('/');
  const object = name.slice(slash + 1);
  const stem = stems.find((s) => object.startsWith(`${s}-`));
  return stem ? `${name.slice(0, slash + 1)}${stem}-*` : name;
}

/** The cells after NAME and REPLICAS of the row whose name contains `name`. */
/** The non-empty cells after NAME of the first row whose name contains `name`. */
function row(out: string, name: string): string[] {
  const found = parseDescribeTable(out).find((r) => r.NAME.includes(name))!;
  return describeHeaders
    .slice(1)
    .map((h) => found[h])
    .filter((cell) => cell !== '');
}
