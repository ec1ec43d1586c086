/**
 * The CLI's mutation commands as a user runs them: child processes against a running gateway on
 * its embedded management cluster and demo fleet. A cluster of its own (created from a template
 * by the first test) is scaled, upgraded, paused, rolled out and deleted; every `--wait` follows
 * the operation over the subscription to its end.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childTracker, finished, graphqlLine, pollUntil } from './cli-child.ts';

const sharedTemplates = fileURLToPath(new URL('../../../shared/capi/templates/', import.meta.url));

/** simple-cluster.yaml (CAPI's KCP + one MachineDeployment on Docker kinds) as a clusterctl
 * template: names, namespace, version and sizes become variables. */
function templateText(): string {
  let s = readFileSync(join(sharedTemplates, 'simple-cluster.yaml'), 'utf8')
    .replaceAll('my-cluster', '${CLUSTER_NAME}')
    .replaceAll('namespace: default', 'namespace: ${NAMESPACE}')
    .replace(/name: controlplane\b/g, 'name: ${CLUSTER_NAME}-control-plane')
    .replace(/name: worker-md-0\b/g, 'name: ${CLUSTER_NAME}-md-0')
    .replace(/name: worker$/gm, 'name: ${CLUSTER_NAME}-worker')
    .replaceAll('v1.37.0-beta.0', '${KUBERNETES_VERSION}');
  s = s.replace('replicas: 1', 'replicas: ${CONTROL_PLANE_MACHINE_COUNT:=1}');
  return s.replace('replicas: 1', 'replicas: ${WORKER_MACHINE_COUNT:=1}');
}

interface ListedCluster {
  name: string;
  phase: string | null;
  kubernetesVersion: string | null;
  paused: boolean;
  summary: { workers: { ready: number | null; desired: number | null } };
}

describe('capi-gateway mutation commands against a running gateway', () => {
  const children = childTracker();
  let dir: string;
  let url: string;
  let template: string;

  const cli = (...args: string[]) => finished([...args, '--url', url]);
  const clusters = async () => {
    const r = await cli('get', 'clusters', '-o', 'json');
    return r.code === 0 ? (JSON.parse(r.stdout) as { items: ListedCluster[] }).items : [];
  };
  const cluster = async (name: string) => (await clusters()).find((c) => c.name === name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-cli-mutations-'));
    template = join(dir, 'cluster-template.yaml');
    await writeFile(template, templateText());
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
    await pollUntil(
      'the demo fleet listed',
      clusters,
      (items) => items.length === 2 && items.every((c) => c.phase === 'Provisioned'),
      120_000,
    );
  }, 180_000);

  afterAll(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('create cluster from a template: --list-variables, --dry-run, then --wait to a running cluster', async () => {
    const vars = await cli('create', 'cluster', '--from-template', template, '--list-variables');
    expect(vars.code).toBe(0);
    const names = vars.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(names).toEqual([
      'NAME REQUIRED',
      'CLUSTER_NAME true',
      'CONTROL_PLANE_MACHINE_COUNT false',
      'KUBERNETES_VERSION true',
      'NAMESPACE true',
      'WORKER_MACHINE_COUNT false',
    ]);
    const args = [
      '--from-template',
      template,
      '--var',
      'KUBERNETES_VERSION=v1.32.4',
      '--var',
      'WORKER_MACHINE_COUNT=2',
    ];
    const dry = await cli('create', 'cluster', 'cli-made', ...args, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Cluster default/cli-made (dry run)\n');
    expect(dry.stdout).toContain('MachineDeployment default/cli-made-md-0 (dry run)\n');
    expect(await cluster('cli-made')).toBeUndefined();

    const missing = await cli('create', 'cluster', 'cli-bad', '--from-template', template);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/^error: invalid: .*KUBERNETES_VERSION.*\n$/);

    const made = await cli('create', 'cluster', 'cli-made', ...args, '--wait');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const lines = made.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^operation default\/create-cluster-\S+ started: CreateCluster /);
    expect(lines.at(-1)).toMatch(/^operation default\/create-cluster-\S+ SUCCEEDED$/);
    // Step progress, one line per change: every step seen to succeed, in order.
    const succeeded = lines.filter((l) => /^\[\d+\/\d+\] .*: SUCCEEDED/.test(l)).map((l) => l.slice(0, 5));
    expect(succeeded.length).toBeGreaterThanOrEqual(2);
    expect(succeeded).toEqual([...succeeded].sort());
    const now = await cluster('cli-made');
    expect(now?.summary.workers).toMatchObject({ ready: 2, desired: 2 });
  }, 120_000);

  it('scale: a MachineDeployment with --wait; a control plane to an even count is a ValidationError (exit 5)', async () => {
    const scaled = await cli('scale', 'machinedeployment', 'cli-made-md-0', '--replicas', '3', '--wait');
    expect(scaled.code).toBe(0);
    expect(scaled.stdout).toMatch(
      /started: ScaleMachineDeployment MachineDeployment default\/cli-made-md-0 /,
    );
    expect(scaled.stdout).toMatch(/SUCCEEDED\n$/);
    expect((await cluster('cli-made'))?.summary.workers).toMatchObject({ ready: 3, desired: 3 });

    const even = await cli('scale', 'controlplane', 'cli-made', '--replicas', '2');
    expect(even.code).toBe(5);
    expect(even.stdout).toBe('');
    expect(even.stderr).toMatch(/^error: invalid: .*odd number of replicas.* \(replicas\)\n$/);

    const unknown = await cli('scale', 'machinedeployment', 'no-such-md', '--replicas', '1');
    expect(unknown).toMatchObject({ code: 3, stdout: '' });
    expect(unknown.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 120_000);

  it('upgrade --plan prints the steps and changes nothing; then --wait upgrades', async () => {
    const plan = await cli('upgrade', 'cli-made', '--version', 'v1.33.0', '--plan');
    expect(plan.code).toBe(0);
    const rows = plan.stdout.split('\n').filter((l) => /^(control-plane|machine-deployment)\//.test(l));
    expect(rows.map((l) => l.split(/\s+/).slice(1, 4))).toEqual([
      ['ControlPlane', 'v1.32.4', 'v1.33.0'],
      ['MachineDeployment', 'v1.32.4', 'v1.33.0'],
    ]);
    expect(plan.stdout).toMatch(/The upgrade can start\.\n$/);
    expect((await cluster('cli-made'))?.kubernetesVersion).toBe('v1.32.4');

    const down = await cli('upgrade', 'cli-made', '--version', 'v1.20.0');
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(/^error: invalid: .*downgrade.*\n$/);

    const up = await cli('upgrade', 'cli-made', '--version', 'v1.33.0', '--wait', '-o', 'json');
    expect(up.code).toBe(0);
    // -o json: the final operation on stdout, the progress on stderr.
    expect(JSON.parse(up.stdout)).toMatchObject({ type: 'UpgradeCluster', phase: 'SUCCEEDED', progress: 1 });
    expect(up.stderr).toMatch(/UpgradeCluster|SUCCEEDED/);
    expect((await cluster('cli-made'))?.kubernetesVersion).toBe('v1.33.0');
  }, 180_000);

  it('pause and resume, rollout restart, delete machine; get operations lists them; cancel of a finished one is a conflict', async () => {
    const paused = await cli('pause', 'cli-made', '--wait');
    expect(paused.code).toBe(0);
    expect((await cluster('cli-made'))?.paused).toBe(true);
    const resumed = await cli('resume', 'cli-made', '--wait');
    expect(resumed.code).toBe(0);
    expect((await cluster('cli-made'))?.paused).toBe(false);

    const rollout = await cli('rollout', 'restart', 'machinedeployment', 'cli-made-md-0', '--wait');
    expect(rollout.code).toBe(0);
    expect(rollout.stdout).toMatch(/started: RolloutMachineDeployment /);

    const machines = await cli('get', 'machines', '-o', 'json');
    const worker = (
      JSON.parse(machines.stdout) as {
        items: Array<{ name: string; cluster: string; controlPlane: boolean }>;
      }
    ).items.find((m) => m.cluster === 'cli-made' && !m.controlPlane)!;
    const deleted = await cli('delete', 'machine', worker.name, '--wait');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(/started: DeleteMachine Machine default\//);

    const ops = await cli('get', 'operations', '-o', 'json');
    const types = (JSON.parse(ops.stdout) as { items: Array<{ type: string; phase: string }> }).items;
    expect(new Set(types.map((t) => t.type))).toEqual(
      new Set([
        'CreateCluster',
        'ScaleMachineDeployment',
        'UpgradeCluster',
        'PauseCluster',
        'ResumeCluster',
        'RolloutMachineDeployment',
        'DeleteMachine',
      ]),
    );
    expect(types.every((t) => t.phase === 'SUCCEEDED')).toBe(true);
    const table = await cli('get', 'operations');
    expect(table.stdout.split('\n')[0]!.split(/ {3,}/)).toEqual([
      'MANAGEMENT CLUSTER',
      'NAMESPACE',
      'NAME',
      'TYPE',
      'TARGET',
      'PHASE',
      'PROGRESS',
      'STEP',
      'AGE',
    ]);
    const name = table.stdout.split('\n')[1]!.split(/\s+/)[2]!;
    const cancel = await cli('cancel', name);
    expect(cancel).toMatchObject({ code: 6, stdout: '' });
    expect(cancel.stderr).toMatch(/^error: conflict: .*finished.*\n$/);
  }, 240_000);

  it('delete cluster --wait: the cluster is gone', async () => {
    const r = await cli('delete', 'cluster', 'cli-made', '--wait');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/started: DeleteCluster Cluster default\/cli-made /);
    expect(await cluster('cli-made')).toBeUndefined();
    const again = await cli('delete', 'cluster', 'cli-made');
    expect(again).toMatchObject({ code: 3, stderr: 'error: cluster "cli-made" not found\n' });
  }, 120_000);

  it('bad mutation flags exit 1 naming the problem', async () => {
    const noReplicas = await cli('scale', 'machinedeployment', 'x');
    expect(noReplicas.code).toBe(1);
    expect(noReplicas.stderr).toMatch(/^error: required option '--replicas <n>' not specified/);
    const both = await cli('create', 'cluster', 'y', '--from-template', template, '--class', 'c');
    expect(both).toMatchObject({
      code: 1,
      stderr: 'error: give either --from-template or --class, not both\n',
    });
    const worker = await cli(
      'create',
      'cluster',
      'y',
      '--class',
      'c',
      '--version',
      'v1.33.0',
      '--workers',
      'bad',
    );
    expect(worker.code).toBe(1);
    expect(worker.stderr).toMatch(/^error: --workers bad: expected POOL=CLASS:N/);
  });
});

describe('capi-gateway get clusters -w', () => {
  const children = childTracker();
  let dir: string;

  afterAll(async () => {
    await children.stopAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the table, then a row when a cluster changes (pause shows in -o wide PAUSED)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-cli-watch-'));
    const gateway = children.start([
      'serve',
      '--port',
      '0',
      '--speed',
      '20',
      '--data-dir',
      join(dir, 'data'),
    ]);
    const url = (await gateway.waitForStdout(graphqlLine))[1]!;
    const watch = children.start(['get', 'clusters', '-w', '-o', 'wide', '--url', url]);
    await watch.waitForStdout(/^MANAGEMENT CLUSTER .*PAUSED\n(.*\n)*.*demo-plain .*false\n/m);
    const paused = await finished(['pause', 'demo-plain', '--url', url]);
    expect(paused.code).toBe(0);
    await watch.waitForStdout(/\n.*\sdemo-plain\s.*\strue\n/);
    // One header, then rows only.
    expect(watch.stdout().match(/MANAGEMENT CLUSTER/g)).toHaveLength(1);
    const badWatch = await finished(['get', 'managementclusters', '-w', '--url', url]);
    expect(badWatch).toMatchObject({
      code: 1,
      stderr:
        'error: -w is supported for clusters, machines, machinedeployments and operations, not "managementclusters"\n',
    });
  }, 120_000);
});
