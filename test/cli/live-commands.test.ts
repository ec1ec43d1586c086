/**
 * The CLI's live commands as a user runs them, off a terminal (a pipe, as in a script or a CI
 * log): child processes against a running gateway on its embedded management cluster. A cluster
 * of the test's own has a MachineDeployment of slow workers (a machine takes 200 simulated
 * seconds, 10 s at --speed 20), so an operation that scales it stays running long enough to be
 * watched, and a second scale fails the first. The tests run in order on that cluster.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childTracker, envWith, finished, graphqlLine, pollUntil, type CliChild } from './cli-child.ts';

/** Plain kinds on Dev infrastructure: a fast control plane, workers (none at first) that are slow. */
const template = `
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata: { name: \${CLUSTER_NAME}, namespace: \${NAMESPACE} }
spec:
  clusterNetwork:
    pods: { cidrBlocks: ["192.168.0.0/16"] }
    services: { cidrBlocks: ["10.96.0.0/12"] }
  controlPlaneRef: { apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: \${CLUSTER_NAME}-control-plane }
  infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevCluster, name: \${CLUSTER_NAME} }
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevCluster
metadata: { name: \${CLUSTER_NAME}, namespace: \${NAMESPACE} }
spec: { backend: { inMemory: {} } }
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevMachineTemplate
metadata: { name: \${CLUSTER_NAME}-control-plane, namespace: \${NAMESPACE} }
spec:
  template:
    spec:
      backend:
        inMemory:
          vm: { provisioning: { startupDuration: "4s" } }
          node: { provisioning: { startupDuration: "2s" } }
          apiServer: { provisioning: { startupDuration: "2s" } }
          etcd: { provisioning: { startupDuration: "2s" } }
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevMachineTemplate
metadata: { name: \${CLUSTER_NAME}-workers, namespace: \${NAMESPACE} }
spec:
  template:
    spec:
      backend:
        inMemory:
          vm: { provisioning: { startupDuration: "200s" } }
          node: { provisioning: { startupDuration: "2s" } }
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata: { name: \${CLUSTER_NAME}-control-plane, namespace: \${NAMESPACE} }
spec:
  replicas: 1
  version: v1.32.4
  machineTemplate:
    spec:
      infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevMachineTemplate, name: \${CLUSTER_NAME}-control-plane }
  kubeadmConfigSpec:
    initConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata: { name: \${CLUSTER_NAME}-workers, namespace: \${NAMESPACE} }
spec:
  template:
    spec:
      joinConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata: { name: \${CLUSTER_NAME}-md-0, namespace: \${NAMESPACE} }
spec:
  clusterName: \${CLUSTER_NAME}
  replicas: 0
  template:
    spec:
      clusterName: \${CLUSTER_NAME}
      version: v1.32.4
      bootstrap:
        configRef: { apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfigTemplate, name: \${CLUSTER_NAME}-workers }
      infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevMachineTemplate, name: \${CLUSTER_NAME}-workers }
`;

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[/;

/** Neither colour variable set, whatever the shell running the tests has. */
const plainEnv = envWith({ NO_COLOR: undefined, FORCE_COLOR: undefined });

interface ListedCluster {
  name: string;
  phase: string | null;
  summary: { workers: { ready: number | null } };
}

describe('capi-gateway live commands (watch, -w, --wait) against a running gateway', () => {
  const children = childTracker();
  let dir: string;
  let url: string;
  let gateway: CliChild;
  const serve = (port: string) =>
    children.start(['serve', '--port', port, '--speed', '20', '--data-dir', join(dir, 'data')]);

  const cli = (...args: string[]) => finished([...args, '--url', url], { env: plainEnv });
  const live = (...args: string[]) => children.start([...args, '--url', url], { env: plainEnv });
  /** Ctrl-C, then the exit code. */
  const interrupt = async (child: CliChild) => {
    child.child.kill('SIGINT');
    return child.exited;
  };
  /** The names (third column) of the rows of a -w table that start with `prefix`. */
  const rowNames = (out: string, prefix: string) =>
    out
      .split('\n')
      .map((l) => l.split(/\s+/)[2] ?? '')
      .filter((n) => n.startsWith(prefix));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-cli-live-'));
    await writeFile(join(dir, 'template.yaml'), template);
    gateway = serve('0');
    url = (await gateway.waitForStdout(graphqlLine))[1]!;
    await pollUntil(
      'the demo fleet provisioned',
      async () => {
        const r = await cli('get', 'clusters', '-o', 'json');
        return r.code === 0 ? (JSON.parse(r.stdout) as { items: ListedCluster[] }).items : [];
      },
      (items) => items.length === 2 && items.every((c) => c.phase === 'Provisioned'),
      120_000,
    );
  }, 180_000);

  afterAll(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('--wait off a terminal: one line per step change, the end, exit 0', async () => {
    const r = await cli('create', 'cluster', 'live', '--from-template', join(dir, 'template.yaml'), '--wait');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^operation default\/create-cluster-\S+ started: CreateCluster Cluster default\/live /,
    );
    const steps = lines.slice(1, -1);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    for (const line of steps) expect(line).toMatch(/^\[\d+\/\d+\] [^:]+: (RUNNING|SUCCEEDED)( - .+)?$/);
    // Every step seen to succeed, in order.
    const n = Number(/^\[\d+\/(\d+)\]/.exec(steps[0]!)![1]);
    const succeeded = steps.filter((l) => /: SUCCEEDED/.test(l)).map((l) => /^\[\d+\/\d+\]/.exec(l)![0]);
    expect(succeeded).toEqual(Array.from({ length: n }, (_, i) => `[${i + 1}/${n}]`));
    expect(lines.at(-1)).toMatch(/^operation default\/create-cluster-\S+ SUCCEEDED$/);
    expect(r.stdout).not.toMatch(ansi);
  }, 120_000);

  it('watch cluster: a block per change under a timestamp; a scale adds machine rows marked *; Ctrl-C exits 0', async () => {
    const watch = live('watch', 'cluster', 'live', '--grouping=false');
    await watch.waitForStdout(/^--- \d{4}-\d\d-\d\dT\S+Z\n {2}NAME .*\n {2}Cluster default\/live\b/m);
    expect(watch.stdout()).not.toContain('Machine default/live-md-0-');
    const scaled = await cli('scale', 'machinedeployment', 'live-md-0', '--replicas', '1');
    expect(scaled.code).toBe(0);
    // The new machine's row, marked as changed, in a later block.
    await watch.waitForStdout(/^\* +\S*Machine default\/live-md-0-\S+/m);
    const blocks = watch.stdout().split(/\n(?=--- )/);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks.slice(1)) expect(block).toMatch(/^--- \S+\n {2}NAME /);
    // Unchanged rows keep their place, unmarked: the control plane's machine did not change.
    expect(blocks.at(-1)).toMatch(/^ {2}.*Machine default\/live-control-plane-\S+/m);
    expect(await interrupt(watch)).toBe(0);
    expect(watch.stdout()).not.toMatch(ansi);
  }, 120_000);

  it('get machines -w: the table, then a row when a machine is added', async () => {
    const watch = live('get', 'machines', '-w');
    await watch.waitForStdout(/^MANAGEMENT CLUSTER +NAMESPACE +NAME .*\n(.*\n)*.* live-md-0-\S+ /m);
    const before = new Set(rowNames(watch.stdout(), 'live-md-0-'));
    const scaled = await cli('scale', 'machinedeployment', 'live-md-0', '--replicas', '2');
    expect(scaled.code).toBe(0);
    const added = await pollUntil(
      'a row for the new machine',
      async () => rowNames(watch.stdout(), 'live-md-0-').filter((n) => !before.has(n)),
      (names) => names.length > 0,
    );
    expect(added[0]).toMatch(/^live-md-0-/);
    // One header: rows are appended below it.
    expect(watch.stdout().match(/MANAGEMENT CLUSTER/g)).toHaveLength(1);
    expect(await interrupt(watch)).toBe(0);
  }, 120_000);

  it('get operations -w: an operation appears while it runs, then its row as it succeeded', async () => {
    const watch = live('get', 'operations', '-w');
    await watch.waitForStdout(/^MANAGEMENT CLUSTER +NAMESPACE +NAME +TYPE /m);
    const scaled = await cli('scale', 'machinedeployment', 'live-md-0', '--replicas', '3');
    expect(scaled.code).toBe(0);
    const name = /^operation default\/(\S+) started/.exec(scaled.stdout)![1]!;
    const row = (phase: string) =>
      new RegExp(`^embedded +default +${name} +ScaleMachineDeployment .* ${phase} `, 'm');
    await watch.waitForStdout(row('(PENDING|RUNNING)'));
    await watch.waitForStdout(row('SUCCEEDED'), 90_000);
    const rows = watch
      .stdout()
      .split('\n')
      .filter((l) => l.includes(name));
    expect(rows.at(-1)).toMatch(/ SUCCEEDED +100% /);
    expect(await interrupt(watch)).toBe(0);
  }, 150_000);

  it('--wait off a terminal: an operation that fails ends with its error and exit 9', async () => {
    const waiting = live('scale', 'machinedeployment', 'live-md-0', '--replicas', '5', '--wait');
    await waiting.waitForStdout(/^\[2\/2\] replicas-ready: RUNNING/m);
    // Another request changes the replicas: the first operation cannot finish, and fails.
    const other = await cli('scale', 'machinedeployment', 'live-md-0', '--replicas', '4');
    expect(other.code).toBe(0);
    expect(await waiting.exited).toBe(9);
    const lines = waiting.stdout().trimEnd().split('\n');
    expect(lines).toContain(
      '[1/2] replicas-requested: SUCCEEDED - MachineDeployment live-md-0 asks for 5 replicas',
    );
    expect(lines.at(-2)).toBe('[2/2] replicas-ready: FAILED - replicas were changed to 4 by another request');
    expect(lines.at(-1)).toMatch(
      /^operation default\/\S+ FAILED: replicas-ready: replicas were changed to 4/,
    );
    expect(waiting.stderr()).toMatch(/^error: operation default\/\S+ failed: .*changed to 4.*\n$/);
  }, 120_000);

  it('colour: none off a terminal or with NO_COLOR; FORCE_COLOR colours phases, the text kept', async () => {
    const plain = await cli('get', 'clusters');
    expect(plain.stdout).toContain('Provisioned');
    expect(plain.stdout).not.toMatch(ansi);
    const forced = await finished(['get', 'clusters', '--url', url], {
      env: envWith({ FORCE_COLOR: '1', NO_COLOR: undefined }),
    });
    expect(forced.stdout).toContain('\u001b[32mProvisioned\u001b[39m');
    const machines = await finished(['get', 'machines', '--url', url], {
      env: envWith({ FORCE_COLOR: '1', NO_COLOR: undefined }),
    });
    expect(machines.stdout).toContain('\u001b[32mRunning\u001b[39m');
    const both = await finished(['get', 'clusters', '--url', url], {
      env: envWith({ FORCE_COLOR: '1', NO_COLOR: '1' }),
    });
    expect(both.code).toBe(0);
    expect(both.stdout).toContain('Provisioned');
    expect(both.stdout).not.toMatch(ansi);
    const tree = await finished(['describe', 'cluster', 'live', '--url', url], {
      env: envWith({ NO_COLOR: '1', FORCE_COLOR: undefined }),
    });
    expect(tree.stdout).toContain('Cluster default/live');
    expect(tree.stdout).not.toMatch(ansi);
  }, 60_000);

  it('watch cluster: the cluster deleted is one line and exit 0', async () => {
    const watch = live('watch', 'cluster', 'live', '-n', 'default', '--mc', 'embedded');
    await watch.waitForStdout(/^ {2}Cluster default\/live\b/m);
    const deleted = await cli('delete', 'cluster', 'live');
    expect(deleted.code).toBe(0);
    expect(await watch.exited).toBe(0);
    expect(watch.stdout()).toMatch(/!! DELETED !! Cluster default\/live\b/);
    expect(watch.stdout()).toMatch(/\nCluster default\/live deleted\n$/);
    const gone = await cli('watch', 'cluster', 'live');
    expect(gone).toMatchObject({ code: 3, stdout: '', stderr: 'error: cluster "live" not found\n' });
  }, 120_000);

  it('the gateway restarted: watches warn that it is lost, keep retrying, and go on once it is back', async () => {
    const tree = live('watch', 'cluster', 'demo-plain');
    const rows = live('get', 'clusters', '-w');
    await tree.waitForStdout(/^ {2}Cluster default\/demo-plain\b/m);
    await rows.waitForStdout(/ demo-topology /);
    await gateway.stop('SIGTERM');
    for (const watch of [tree, rows])
      await watch.waitForStderr(new RegExp(`^warning: lost the gateway at ${url} \\(.+\\); retrying$`, 'm'));
    gateway = serve(new URL(url).port);
    expect((await gateway.waitForStdout(graphqlLine))[1]).toBe(url);
    for (const watch of [tree, rows]) await watch.waitForStderr(/^reconnected to the gateway at /m, 90_000);
    // The new gateway holds no history: the clusters come again (RESYNC, then the current set).
    await pollUntil(
      'the clusters listed again',
      async () => rows.stdout().match(/ demo-topology /g)?.length ?? 0,
      (n) => n >= 2,
    );
    expect(tree.child.exitCode).toBeNull();
    expect(await interrupt(tree)).toBe(0);
    expect(await interrupt(rows)).toBe(0);
  }, 180_000);
});
