import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../embedded/cluster.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { benchFleet } from './bench-fleet.ts';
import { kubeHttp } from './kube-http.ts';
import { loadFleet } from './load-fleet.ts';

const namespace = 'fleet';
const fleet = benchFleet({ clusters: 2, namespace });
const namespaceObject: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: namespace, uid: '' },
};
const resources = [
  'cluster.x-k8s.io/v1beta2/clusters',
  'cluster.x-k8s.io/v1beta2/machinedeployments',
  'cluster.x-k8s.io/v1beta2/machinesets',
  'cluster.x-k8s.io/v1beta2/machines',
  'controlplane.cluster.x-k8s.io/v1beta2/kubeadmcontrolplanes',
  'infrastructure.cluster.x-k8s.io/v1beta2/dockerclusters',
  'infrastructure.cluster.x-k8s.io/v1beta2/dockermachines',
  'bootstrap.cluster.x-k8s.io/v1beta2/kubeadmconfigs',
];

/** What the server decides per write (identity, time, version) replaced by what stays comparable. */
function comparable(o: KubeObject, uidNames: Map<string, string>): unknown {
  const {
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _c,
    managedFields: _m,
    ...metadata
  } = o.metadata;
  return {
    ...o,
    metadata: {
      ...metadata,
      ownerReferences: metadata.ownerReferences?.map((r) => ({ ...r, uid: uidNames.get(r.uid) })),
    },
  };
}

async function everything(cluster: EmbeddedCluster): Promise<unknown[]> {
  const http = await kubeHttp(cluster.kubeconfigPath, 4);
  try {
    const objects: KubeObject[] = [];
    for (const r of resources) {
      const list = (await http.call(
        'GET',
        `/apis/${r.replace(/\/([^/]+)$/, `/namespaces/${namespace}/$1`)}`,
      )) as {
        items: KubeObject[];
      };
      objects.push(...list.items);
    }
    const uidNames = new Map(objects.map((o) => [o.metadata.uid, `${o.kind}/${o.metadata.name}`]));
    return objects.map((o) => comparable(o, uidNames));
  } finally {
    http.close();
  }
}

describe('bulk seeding of the embedded API server', () => {
  const dirs: string[] = [];
  const clusters: EmbeddedCluster[] = [];
  const start = async (extra: { seedFile?: string }) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'capi-gateway-seed-'));
    dirs.push(dataDir);
    const cluster = await startEmbeddedCluster({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      ephemeral: false,
      demo: false,
      speed: 1,
      capiApi: 'v1beta2',
      faults: { machineFailureRate: 0, nodeNotReadyRate: 0 },
      controllers: false,
      ...extra,
    });
    clusters.push(cluster);
    return cluster;
  };
  afterAll(async () => {
    for (const c of clusters) await c.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('stores the same objects as creating them over HTTP (create, then the status subresource)', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'capi-gateway-seedfile-')), 'fleet.ndjson');
    dirs.push(file.replace(/\/fleet\.ndjson$/, ''));
    await writeFile(file, [namespaceObject, ...fleet].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const seeded = await start({ seedFile: file });
    expect(seeded.notices).toContain(`seeded ${fleet.length + 1} objects (${fleet.length * 2 + 1} writes)`);

    const viaHttp = await start({});
    const http = await kubeHttp(viaHttp.kubeconfigPath, 8);
    await loadFleet(http, namespace, fleet, 8);
    http.close();

    const want = await everything(viaHttp);
    expect(want).toHaveLength(fleet.length);
    expect(await everything(seeded)).toEqual(want);
  });
});
