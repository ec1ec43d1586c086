import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../../test/support/embedded-cluster.ts';

interface ProviderList {
  items: Array<{
    metadata: { name: string; namespace: string; uid: string; labels: Record<string, string> };
    providerName: string;
    type: string;
    version: string;
  }>;
}

async function providers(cluster: TestEmbeddedCluster): Promise<ProviderList['items']> {
  const result = await cluster.kubectl(['get', 'providers.clusterctl.cluster.x-k8s.io', '-A', '-o', 'json']);
  expect(result.stderr).not.toMatch(/error/i);
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as ProviderList).items.sort((a, b) =>
    a.metadata.namespace.localeCompare(b.metadata.namespace),
  );
}

const summary = (items: ProviderList['items']) =>
  items.map((p) => [p.metadata.namespace, p.metadata.name, p.providerName, p.type, p.version]);

describe('the clusterctl provider inventory of the embedded management cluster', () => {
  const started: TestEmbeddedCluster[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(started.map((c) => c.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('lists the Provider objects `clusterctl init` would leave for CAPI v1.14, and survives a restart unchanged', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'capi-gateway-inventory-'));
    dirs.push(dataDir);
    const first = await startTestEmbeddedCluster({ controllers: true, persistent: true, dataDir });
    started.push(first);
    const items = await providers(first);
    expect(summary(items)).toEqual([
      ['capd-system', 'infrastructure-docker', 'docker', 'InfrastructureProvider', 'v1.14.0'],
      ['capi-kubeadm-bootstrap-system', 'bootstrap-kubeadm', 'kubeadm', 'BootstrapProvider', 'v1.14.0'],
      [
        'capi-kubeadm-control-plane-system',
        'control-plane-kubeadm',
        'kubeadm',
        'ControlPlaneProvider',
        'v1.14.0',
      ],
      ['capi-system', 'cluster-api', 'cluster-api', 'CoreProvider', 'v1.14.0'],
    ]);
    expect(items.find((p) => p.metadata.name === 'bootstrap-kubeadm')!.metadata.labels).toEqual({
      'clusterctl.cluster.x-k8s.io': '',
      'clusterctl.cluster.x-k8s.io/core': 'inventory',
      'cluster.x-k8s.io/provider': 'bootstrap-kubeadm',
    });
    // kubectl's table: the CRD's TYPE, PROVIDER and VERSION columns.
    const table = await first.kubectl(['get', 'providers.clusterctl.cluster.x-k8s.io', '-n', 'capi-system']);
    expect(table.stdout).toMatch(/cluster-api\s+\S+\s+CoreProvider\s+cluster-api\s+v1\.14\.0/);

    // As if the data dir came from an older release: the restart brings the inventory up to date.
    const patched = await first.kubectl([
      'patch',
      'providers.clusterctl.cluster.x-k8s.io',
      'cluster-api',
      '-n',
      'capi-system',
      '--type=merge',
      '-p',
      '{"version":"v1.13.2"}',
    ]);
    expect(patched.code).toBe(0);
    await first.stop();
    started.splice(started.indexOf(first), 1);
    const second = await startTestEmbeddedCluster({ controllers: true, persistent: true, dataDir });
    started.push(second);
    const again = await providers(second);
    expect(again.map((p) => p.metadata.uid)).toEqual(items.map((p) => p.metadata.uid));
    expect(summary(again)).toEqual(summary(items));
  });

  it('says v1.10 on a legacy (--capi-api v1beta1) management cluster', async () => {
    const legacy = await startTestEmbeddedCluster({ controllers: true, capiApi: 'v1beta1' });
    started.push(legacy);
    const items = await providers(legacy);
    expect(items).toHaveLength(4);
    expect(new Set(items.map((p) => p.version))).toEqual(new Set(['v1.10.4']));
  });

  it('is absent from a bare API server (no controllers, nothing installed)', async () => {
    const bare = await startTestEmbeddedCluster({ controllers: false });
    started.push(bare);
    expect(await providers(bare)).toEqual([]);
  });
});
