import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { encodeGlobalId } from '../../resolvers/global-id.ts';
import { DeleteClusterDocument, PauseClusterDocument, ResumeClusterDocument } from '../generated/graphql.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { hasSharedCapi, sharedCapiDir } from './support/gateway-fixture.ts';
import { eventually, gql } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { untilOperation } from './support/operation-polling.ts';
import { clusterAddress, startOperationsGateway } from './support/operations-fixture.ts';

const MC = 'life';

describe.skipIf(!hasSharedCapi)('pauseCluster, resumeCluster, deleteCluster', () => {
  let mc: TestEmbeddedCluster;
  let app: App;

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
    app = await startOperationsGateway(MC, mc.kubeconfigPath);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
  });

  /** simple-cluster.yaml (a KCP with one machine, one MachineDeployment) in its own namespace. */
  async function applySimpleCluster(namespace: string): Promise<string> {
    await kubectlOk(mc, ['create', 'namespace', namespace]);
    const yaml = readFileSync(join(sharedCapiDir, 'templates/simple-cluster.yaml'), 'utf8').replaceAll(
      'namespace: default',
      `namespace: ${namespace}`,
    );
    await kubectlOk(mc, ['apply', '-f', '-'], yaml);
    const id = encodeGlobalId(clusterAddress(MC, namespace, 'my-cluster'));
    await eventually(
      async () =>
        app.gateway.fleet.reader.get(clusterAddress(MC, namespace, 'my-cluster')) ? true : undefined,
      20_000,
      'the Cluster in the cache',
    );
    return id;
  }

  async function kubectlJson<T>(args: string[]): Promise<T> {
    return JSON.parse(await kubectlOk(mc, [...args, '-o', 'json'])) as T;
  }

  interface ClusterJson {
    metadata: { annotations?: Record<string, string> };
    spec: { paused?: boolean };
    status?: { conditions?: Array<{ type: string; status: string }> };
  }

  const operationCount = async () =>
    (await kubectlJson<{ items: unknown[] }>(['get', 'operations.capi-gateway.dev', '-A'])).items.length;

  it('pauses a cluster until CAPI reports Paused, and resumes it from spec.paused and the annotation', async () => {
    const id = await applySimpleCluster('pausing');
    const paused = await gql(app.url, PauseClusterDocument, { id });
    expect(paused.errors).toBeUndefined();
    const payload = paused.data!.pauseCluster;
    if (payload.__typename !== 'ClusterOperationPayload') throw new Error(JSON.stringify(payload));
    expect(payload.cluster).toMatchObject({ id, name: 'my-cluster', paused: true });
    expect(payload.operation).toMatchObject({ type: 'PauseCluster', targetId: id });

    const done = await untilOperation(app.url, payload.operation.id, 'SUCCEEDED');
    expect(done.steps.map((s) => [s.name, s.phase])).toEqual([
      ['paused set', 'SUCCEEDED'],
      ['controllers paused', 'SUCCEEDED'],
    ]);
    const cluster = await kubectlJson<ClusterJson>(['get', 'cluster', '-n', 'pausing', 'my-cluster']);
    expect(cluster.spec.paused).toBe(true);
    expect(cluster.status?.conditions?.find((c) => c.type === 'Paused')?.status).toBe('True');

    // The annotation pauses whatever its value ("false" included); resume clears both.
    await kubectlOk(mc, [
      'annotate',
      'cluster',
      '-n',
      'pausing',
      'my-cluster',
      'cluster.x-k8s.io/paused=false',
    ]);
    const resumed = await gql(app.url, ResumeClusterDocument, { id });
    const resumedPayload = resumed.data!.resumeCluster;
    if (resumedPayload.__typename !== 'ClusterOperationPayload')
      throw new Error(JSON.stringify(resumedPayload));
    expect(resumedPayload.cluster?.paused).toBe(false);
    const resumeDone = await untilOperation(app.url, resumedPayload.operation.id, 'SUCCEEDED');
    expect(resumeDone.steps.every((s) => s.phase === 'SUCCEEDED')).toBe(true);
    const after = await kubectlJson<ClusterJson>(['get', 'cluster', '-n', 'pausing', 'my-cluster']);
    expect(after.spec.paused).toBe(false);
    expect(after.metadata.annotations?.['cluster.x-k8s.io/paused']).toBeUndefined();
    expect(after.status?.conditions?.find((c) => c.type === 'Paused')?.status).toBe('False');
  });

  it('deletes a provisioned cluster, following workers, control plane, infrastructure and the Cluster', async () => {
    const id = await applySimpleCluster('deleting');
    await eventually(
      async () => {
        const machines = await kubectlJson<{ items: Array<{ status?: { phase?: string } }> }>([
          'get',
          'machines',
          '-n',
          'deleting',
        ]);
        return machines.items.length === 2 && machines.items.every((m) => m.status?.phase === 'Running')
          ? true
          : undefined;
      },
      60_000,
      'two running machines',
    );
    const deleted = await gql(app.url, DeleteClusterDocument, { id });
    const payload = deleted.data!.deleteCluster;
    if (payload.__typename !== 'ClusterOperationPayload') throw new Error(JSON.stringify(payload));
    expect(payload.operation.type).toBe('DeleteCluster');
    expect(payload.cluster?.deletionTimestamp ?? null).not.toBeNull();

    const done = await untilOperation(app.url, payload.operation.id, 'SUCCEEDED', 90_000);
    expect(done.steps.map((s) => s.name)).toEqual([
      'deletion requested',
      'workers deleted',
      'control plane deleted',
      'infrastructure deleted',
      'cluster deleted',
    ]);
    const finishes = done.steps.map((s) => Date.parse(s.finishedAt!));
    expect([...finishes].sort((a, b) => a - b)).toEqual(finishes);
    expect(done.progress).toBe(1);
    const left = await kubectlJson<{ items: unknown[] }>([
      'get',
      'clusters,machines,machinedeployments,kubeadmcontrolplanes,dockerclusters',
      '-n',
      'deleting',
    ]);
    expect(left.items).toEqual([]);
    expect(done.target).toBeNull();
  });

  it('answers bad input with typed errors and changes nothing', async () => {
    const id = await applySimpleCluster('refusing');
    const before = await operationCount();
    const stale = encodeGlobalId(clusterAddress(MC, 'refusing', 'no-such-cluster'));
    const machineDeployment = encodeGlobalId({
      managementCluster: MC,
      group: 'cluster.x-k8s.io',
      kind: 'MachineDeployment',
      namespace: 'refusing',
      name: 'worker-md-0',
    });
    const otherMc = encodeGlobalId(clusterAddress('elsewhere', 'refusing', 'my-cluster'));
    const cases: Array<[string, string, string]> = [
      ['not-an-id', 'ValidationError', 'id'],
      [machineDeployment, 'ValidationError', 'id'],
      [stale, 'NotFoundError', ''],
      [otherMc, 'NotFoundError', ''],
    ];
    for (const [badId, typename, path] of cases) {
      for (const document of [PauseClusterDocument, ResumeClusterDocument, DeleteClusterDocument]) {
        const res = await gql(app.url, document, { id: badId });
        expect(res.errors).toBeUndefined();
        const answer = Object.values(res.data!)[0] as {
          __typename: string;
          fields?: Array<{ path: string }>;
        };
        expect(answer.__typename).toBe(typename);
        if (path) expect(answer.fields?.map((f) => f.path)).toEqual([path]);
      }
    }
    // A paused cluster is not deleted: CAPI would never finish it.
    await kubectlOk(mc, [
      'patch',
      'cluster',
      '-n',
      'refusing',
      'my-cluster',
      '--type=merge',
      '-p',
      '{"spec":{"paused":true}}',
    ]);
    await eventually(
      async () =>
        (
          app.gateway.fleet.reader.get(clusterAddress(MC, 'refusing', 'my-cluster')) as {
            paused?: boolean;
          } | null
        )?.paused || undefined,
      10_000,
      'the cache to show the cluster paused',
    );
    const refused = await gql(app.url, DeleteClusterDocument, { id });
    expect(refused.data?.deleteCluster).toMatchObject({ __typename: 'ConflictError' });

    expect(await operationCount()).toBe(before);
    const cluster = await kubectlJson<{ metadata: { deletionTimestamp?: string } }>([
      'get',
      'cluster',
      '-n',
      'refusing',
      'my-cluster',
    ]);
    expect(cluster.metadata.deletionTimestamp).toBeUndefined();
  });
});
