/** The real kubectl against the embedded API server, as a user would drive it. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestEmbeddedCluster,
  type TestEmbeddedCluster,
} from '../../../test/support/embedded-cluster.ts';
import { crdsDir, hasCapi, templatesDir } from './capi-fixtures.ts';
import { eventually } from './raw-client.ts';

describe.skipIf(!hasCapi)('kubectl against the embedded API server', () => {
  let cluster: TestEmbeddedCluster;
  const ok = async (args: string[], stdin?: string) => {
    const result = await cluster.kubectl(args, stdin);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };

  beforeAll(async () => {
    cluster = await startTestEmbeddedCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('applies the real CAPI CRDs (server-side) and the simple-cluster template', async () => {
    const crds = await ok(['apply', '--server-side', '-f', crdsDir]);
    expect(crds).toContain(
      'customresourcedefinition.apiextensions.k8s.io/clusters.cluster.x-k8s.io serverside-applied',
    );
    const applied = await ok(['apply', '-f', `${templatesDir}/simple-cluster.yaml`]);
    expect(applied).toContain('cluster.cluster.x-k8s.io/my-cluster created');
    expect(applied).toContain('machinedeployment.cluster.x-k8s.io/worker-md-0 created');
    expect(applied).toContain('kubeadmcontrolplane.controlplane.cluster.x-k8s.io/controlplane created');
    // Re-applying is a no-op the way kubectl reports it.
    expect(await ok(['apply', '-f', `${templatesDir}/simple-cluster.yaml`])).toContain(
      'cluster.cluster.x-k8s.io/my-cluster unchanged',
    );
  });

  it('shows the printer columns of the Cluster CRD', async () => {
    const out = await ok(['get', 'clusters', '-A']);
    const header = out.split('\n')[0]!;
    for (const column of ['NAMESPACE', 'NAME', 'CLUSTERCLASS', 'PHASE', 'AGE', 'VERSION'])
      expect(header).toContain(column);
    expect(out).toContain('my-cluster');
    expect((await ok(['get', 'md'])).split('\n')[0]).toContain('DESIRED');
  });

  it('lists with label selectors and -o json', async () => {
    await ok(['label', 'machinedeployment', 'worker-md-0', 'tier=workers']);
    const selected = JSON.parse(
      await ok(['get', 'machinedeployments,clusters', '-l', 'tier=workers', '-o', 'json']),
    ) as {
      items: Array<{ kind: string; metadata: { name: string; labels: Record<string, string> } }>;
    };
    expect(selected.items.map((i) => `${i.kind}/${i.metadata.name}`)).toEqual([
      'MachineDeployment/worker-md-0',
    ]);
    expect(await ok(['get', 'md', '-l', 'tier!=workers', '-o', 'name'])).toBe('');
    expect(await ok(['get', 'md', '-l', 'tier in (workers,other)', '-o', 'name'])).toBe(
      'machinedeployment.cluster.x-k8s.io/worker-md-0\n',
    );
    expect(await ok(['get', 'md', '-l', '!tier', '-o', 'name'])).toBe('');
    expect(await ok(['get', 'md', '--field-selector', 'metadata.name=worker-md-0', '-o', 'name'])).toContain(
      'worker-md-0',
    );
  });

  it('scales a MachineDeployment through the scale subresource', async () => {
    expect(await ok(['scale', 'machinedeployment', 'worker-md-0', '--replicas=3'])).toContain('scaled');
    expect(await ok(['get', 'md', 'worker-md-0', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    const scale = JSON.parse(
      await ok([
        'get',
        '--raw',
        '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments/worker-md-0/scale',
      ]),
    ) as {
      kind: string;
      spec: { replicas: number };
    };
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 3 } });
  });

  it('patches with merge and JSON patches, and refuses strategic merge on custom resources', async () => {
    await ok(['patch', 'md', 'worker-md-0', '--type=merge', '-p', '{"spec":{"replicas":2}}']);
    expect(await ok(['get', 'md', 'worker-md-0', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    await ok([
      'patch',
      'md',
      'worker-md-0',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":1}]',
    ]);
    expect(await ok(['get', 'md', 'worker-md-0', '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
    const strategic = await cluster.kubectl([
      'patch',
      'md',
      'worker-md-0',
      '--type=strategic',
      '-p',
      '{"spec":{"replicas":2}}',
    ]);
    expect(strategic.code).not.toBe(0);
    expect(strategic.stderr).toContain('application/strategic-merge-patch+json is not supported');
  });

  it('rejects invalid objects with 422 and field paths', async () => {
    const bad = [
      'apiVersion: cluster.x-k8s.io/v1beta2',
      'kind: MachineDeployment',
      'metadata:',
      '  name: broken',
      'spec:',
      '  clusterName: my-cluster',
      '  replicas: many',
      '',
    ].join('\n');
    const result = await cluster.kubectl(['apply', '-f', '-'], bad);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('is invalid');
    expect(result.stderr).toContain('spec.replicas');
    expect(result.stderr).toContain('spec.template: Required value');
    expect((await cluster.kubectl(['get', 'md', 'broken'])).code).not.toBe(0);
    const unknown = await cluster.kubectl(
      ['apply', '-f', '-'],
      bad.replace('replicas: many', 'replicas: 1\n  bogus: 1'),
    );
    expect(unknown.stderr).toContain('unknown field "spec.bogus"');
    // kubectl patch does not ask for Strict: the server warns and drops the field.
    const warned = await cluster.kubectl([
      'patch',
      'md',
      'worker-md-0',
      '--type=merge',
      '-p',
      '{"spec":{"bogus":1}}',
    ]);
    expect(warned.stderr).toContain('Warning: unknown field "spec.bogus"');
    expect(await ok(['get', 'md', 'worker-md-0', '-o', 'jsonpath={.spec.bogus}'])).toBe('');
  });

  it('creates and re-applies built-in kinds (protobuf creates, strategic merge re-apply)', async () => {
    await ok(['create', 'namespace', 'team-a']);
    await ok(['create', 'configmap', 'settings', '-n', 'team-a', '--from-literal=mode=fast']);
    await ok(['create', 'secret', 'generic', 'token', '-n', 'team-a', '--from-literal=value=s3cr3t']);
    expect(await ok(['get', 'secret', 'token', '-n', 'team-a', '-o', 'jsonpath={.data.value}'])).toBe(
      Buffer.from('s3cr3t').toString('base64'),
    );
    const cm = (data: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: team-a\ndata:\n${data}`;
    await ok(['apply', '-f', '-'], cm('  a: "1"\n  b: "2"\n'));
    expect(await ok(['apply', '-f', '-'], cm('  a: "3"\n'))).toContain('configured');
    expect(JSON.parse(await ok(['get', 'cm', 'app', '-n', 'team-a', '-o', 'jsonpath={.data}']))).toEqual({
      a: '3',
    });
  });

  it('kubectl get -w sees objects change', async () => {
    await ok(['create', 'configmap', 'sentinel']);
    const watcher = spawn('kubectl', [
      '--kubeconfig',
      cluster.kubeconfigPath,
      'get',
      'configmaps',
      '-n',
      'default',
      '-w',
      '--output-watch-events',
    ]);
    let out = '';
    watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const seen = (pattern: RegExp, what: string) =>
      eventually(() => (pattern.test(out) ? true : undefined), 15_000, what);
    try {
      await seen(/ADDED\s+sentinel/, 'the initial state');
      await ok(['create', 'configmap', 'watched', '--from-literal=a=1']);
      await seen(/ADDED\s+watched/, 'ADDED event');
      await ok(['label', 'configmap', 'watched', 'x=y']);
      await seen(/MODIFIED\s+watched/, 'MODIFIED event');
      await ok(['delete', 'configmap', 'watched']);
      await seen(/DELETED\s+watched/, 'DELETED event');
    } finally {
      watcher.kill();
    }
  });

  it('deletes with cascading garbage collection (background, foreground, orphan)', async () => {
    const owner = async (name: string) => {
      await ok(['create', 'configmap', name]);
      const uid = await ok(['get', 'configmap', name, '-o', 'jsonpath={.metadata.uid}']);
      const dependent = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `${name}-child`,
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name, uid, blockOwnerDeletion: true }],
        },
      };
      await ok(['create', '-f', '-'], JSON.stringify(dependent));
    };
    const exists = async (name: string) => (await cluster.kubectl(['get', 'configmap', name])).code === 0;

    await owner('bg');
    await ok(['delete', 'configmap', 'bg']);
    await eventually(async () => ((await exists('bg-child')) ? undefined : true), 10_000, 'background GC');

    await owner('fg');
    await ok(['delete', 'configmap', 'fg', '--cascade=foreground']);
    await eventually(
      async () => ((await exists('fg')) || (await exists('fg-child')) ? undefined : true),
      10_000,
      'foreground GC',
    );

    await owner('orphan');
    await ok(['delete', 'configmap', 'orphan', '--cascade=orphan']);
    await eventually(async () => ((await exists('orphan')) ? undefined : true), 10_000, 'orphaning');
    expect(await ok(['get', 'configmap', 'orphan-child', '-o', 'jsonpath={.metadata.ownerReferences}'])).toBe(
      '',
    );
  });

  it('deletes a namespace with its contents', async () => {
    await ok(['create', 'namespace', 'doomed']);
    await ok(['create', 'configmap', 'inside', '-n', 'doomed']);
    await ok(['delete', 'namespace', 'doomed']);
    await eventually(
      async () => ((await cluster.kubectl(['get', 'namespace', 'doomed'])).code !== 0 ? true : undefined),
      10_000,
      'namespace removal',
    );
    expect((await cluster.kubectl(['create', 'configmap', 'late', '-n', 'doomed'])).stderr).toContain(
      'namespaces "doomed" not found',
    );
  });

  it('deleting a CRD removes its kind and its objects', async () => {
    await ok(['delete', 'crd', 'machinedrainrules.cluster.x-k8s.io']);
    const result = await cluster.kubectl(['get', 'machinedrainrules']);
    expect(result.code).not.toBe(0);
    // kubectl may still have the kind in its discovery cache; either way the server no longer serves it.
    expect(result.stderr).toMatch(/could not find the requested resource|doesn't have a resource type/);
  });
});
