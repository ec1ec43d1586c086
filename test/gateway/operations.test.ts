import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { OperationRecord } from '../../src/provisioning/operations/operation-record.ts';
import { done, waiting, type OperationType } from '../../src/provisioning/operations/operation-type.ts';
import { encodeGlobalId } from '../../resolvers/global-id.ts';
import {
  CancelOperationDocument,
  OperationDocument,
  OperationNodeDocument,
  OperationsDocument,
} from '../generated/graphql.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { hasSharedCapi } from './support/gateway-fixture.ts';
import { eventually, gql } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import {
  clusterAddress,
  killGateway,
  operationId,
  startOperationsGateway,
} from './support/operations-fixture.ts';

const MC = 'ops';
const APPROVED = 'test.capi-gateway.dev/approved';
const LABELLED = 'test.capi-gateway.dev/labelled';

/**
 * A test operation whose progress the test controls through the management cluster: it waits
 * for an annotation a person (kubectl) puts on the Cluster, then labels the Cluster (a write)
 * and waits until the cache shows the label.
 */
const awaitApproval: OperationType = {
  name: 'AwaitApproval',
  steps: () => [
    {
      name: 'approved',
      check: (ctx) => {
        const cluster = ctx.cache.get(ctx.operation.target!);
        return cluster?.annotations[APPROVED] ? done() : waiting(`waiting for annotation ${APPROVED}`);
      },
    },
    {
      name: 'labelled',
      act: async (ctx) => {
        const t = ctx.operation.target!;
        const patched = await ctx.writer.mergePatch(
          { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'clusters', namespaced: true },
          { namespace: t.namespace, name: t.name },
          { metadata: { labels: { [LABELLED]: ctx.operation.address.name } } },
        );
        return patched.ok
          ? { ok: true, value: { writtenGeneration: patched.value.metadata.generation } }
          : patched;
      },
      check: (ctx) =>
        ctx.cache.get(ctx.operation.target!)?.labels[LABELLED] ? done() : waiting('waiting for the label'),
    },
  ],
};

const types = [awaitApproval];

describe.skipIf(!hasSharedCapi)('operations: stored in the management cluster, driven by one replica', () => {
  let mc: TestEmbeddedCluster;
  const apps: App[] = [];

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: false });
  }, 60_000);

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
  });

  afterAll(async () => {
    await mc?.stop();
  });

  async function gateway(leaseName: string): Promise<App> {
    const app = await startOperationsGateway(MC, mc.kubeconfigPath, { types, leaseName });
    apps.push(app);
    return app;
  }

  async function createCluster(name: string): Promise<void> {
    await kubectlOk(
      mc,
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name, namespace: 'default' },
        spec: {},
      }),
    );
  }

  async function start(app: App, cluster: string): Promise<OperationRecord> {
    await eventually(
      async () => app.gateway.fleet.caches[0]!.get(clusterAddress(MC, 'default', cluster)) ?? undefined,
      10_000,
      `Cluster ${cluster} in the cache`,
    );
    const started = await app.gateway.operations.startOperation({
      managementCluster: MC,
      namespace: 'default',
      type: 'AwaitApproval',
      target: clusterAddress(MC, 'default', cluster),
      input: { cluster },
      requestedBy: 'anonymous',
    });
    if (!started.ok) throw new Error(started.error.message);
    return started.value;
  }

  async function operationOf(app: App, op: OperationRecord) {
    const res = await gql(app.url, OperationDocument, { id: operationId(op) });
    expect(res.errors).toBeUndefined();
    return res.data!.operation!;
  }

  function untilPhase(app: App, op: OperationRecord, phase: string, step?: string) {
    return eventually(
      async () => {
        const current = await operationOf(app, op);
        if (current.phase !== phase) return undefined;
        if (step && !current.steps.some((s) => s.name === step && s.phase === 'RUNNING')) return undefined;
        return current;
      },
      20_000,
      `operation ${op.address.name} to be ${phase}${step ? ` at ${step}` : ''}`,
    );
  }

  async function kubectlOperation(op: OperationRecord) {
    return JSON.parse(
      await kubectlOk(mc, [
        'get',
        'operations.capi-gateway.dev',
        '-n',
        'default',
        op.address.name,
        '-o',
        'json',
      ]),
    ) as {
      spec: Record<string, unknown>;
      status: { phase: string; drivenBy: string; steps: Array<{ name: string; phase: string }> };
    };
  }

  const approve = (cluster: string) =>
    kubectlOk(mc, ['annotate', 'cluster', '-n', 'default', cluster, `${APPROVED}=yes`]);

  it('installs its CRD, and runs an operation step by step as the management cluster changes', async () => {
    const app = await gateway('capi-gateway-operations-a');
    await createCluster('alpha');
    const op = await start(app, 'alpha');

    const waitingOp = await untilPhase(app, op, 'RUNNING', 'approved');
    expect(waitingOp).toMatchObject({
      type: 'AwaitApproval',
      requestedBy: 'anonymous',
      input: { cluster: 'alpha' },
      progress: 0,
      targetId: encodeGlobalId(clusterAddress(MC, 'default', 'alpha')),
      target: { name: 'alpha' },
      finishedAt: null,
    });
    expect(waitingOp.steps).toEqual([
      expect.objectContaining({
        name: 'approved',
        phase: 'RUNNING',
        message: `waiting for annotation ${APPROVED}`,
      }),
      expect.objectContaining({ name: 'labelled', phase: 'PENDING', startedAt: null }),
    ]);
    // Visible with kubectl, with the printer columns.
    const table = await kubectlOk(mc, ['get', 'operations', '-A']);
    expect(table).toMatch(/NAMESPACE\s+NAME\s+TYPE\s+PHASE\s+TARGET\s+AGE/);
    expect(table).toMatch(new RegExp(`${op.address.name}\\s+AwaitApproval\\s+RUNNING\\s+alpha`));

    await approve('alpha');
    const finished = await untilPhase(app, op, 'SUCCEEDED');
    expect(finished.progress).toBe(1);
    expect(finished.error).toBeNull();
    expect(finished.finishedAt).not.toBeNull();
    expect(finished.steps.map((s) => [s.name, s.phase])).toEqual([
      ['approved', 'SUCCEEDED'],
      ['labelled', 'SUCCEEDED'],
    ]);
    const labels = JSON.parse(
      await kubectlOk(mc, ['get', 'cluster', '-n', 'default', 'alpha', '-o', 'jsonpath={.metadata.labels}']),
    ) as Record<string, string>;
    expect(labels[LABELLED]).toBe(op.address.name);
    const asNode = await gql(app.url, OperationNodeDocument, { id: operationId(op) });
    expect(asNode.data?.node).toEqual({ id: operationId(op), type: 'AwaitApproval', phase: 'SUCCEEDED' });
    expect((await kubectlOperation(op)).status).toMatchObject({
      phase: 'SUCCEEDED',
      drivenBy: app.gateway.operations.identity,
    });
  });

  it('resumes a running operation after the gateway is restarted', async () => {
    const first = await gateway('capi-gateway-operations-b');
    await createCluster('bravo');
    const op = await start(first, 'bravo');
    await untilPhase(first, op, 'RUNNING', 'approved');
    await killGateway(first);

    const second = await gateway('capi-gateway-operations-b');
    await approve('bravo');
    const finished = await untilPhase(second, op, 'SUCCEEDED');
    expect(finished.drivenBy).toBe(second.gateway.operations.identity);
    expect(finished.steps.every((s) => s.phase === 'SUCCEEDED')).toBe(true);
  });

  it('with two replicas exactly one drives; when it dies the other takes over and finishes', async () => {
    const [a, b] = [await gateway('capi-gateway-operations-c'), await gateway('capi-gateway-operations-c')];
    const leaders = () => [a, b].filter((app) => app.gateway.operations.driver(MC)!.isLeader);
    const leader = await eventually(
      async () => (leaders().length === 1 ? leaders()[0] : undefined),
      10_000,
      'one leader',
    );
    const other = leader === a ? b : a;
    const lease = JSON.parse(
      await kubectlOk(mc, ['get', 'lease', '-n', 'kube-system', 'capi-gateway-operations-c', '-o', 'json']),
    ) as { spec: { holderIdentity: string } };
    expect(lease.spec.holderIdentity).toBe(leader.gateway.operations.identity);

    await createCluster('charlie');
    const op = await start(other, 'charlie');
    const running = await untilPhase(other, op, 'RUNNING', 'approved');
    expect(running.drivenBy).toBe(leader.gateway.operations.identity);
    expect(leaders()).toEqual([leader]);

    apps.splice(apps.indexOf(leader), 1);
    await killGateway(leader);
    await approve('charlie');
    const finished = await untilPhase(other, op, 'SUCCEEDED');
    expect(finished.drivenBy).toBe(other.gateway.operations.identity);
    expect(other.gateway.operations.driver(MC)!.isLeader).toBe(true);
  });

  it('cancels an operation between steps: no later step acts', async () => {
    const app = await gateway('capi-gateway-operations-d');
    await createCluster('delta');
    const op = await start(app, 'delta');
    await untilPhase(app, op, 'RUNNING', 'approved');

    const cancelled = await gql(app.url, CancelOperationDocument, { id: operationId(op) });
    expect(cancelled.data?.cancelOperation).toMatchObject({ __typename: 'CancelOperationPayload' });
    const final = await untilPhase(app, op, 'CANCELLED');
    expect(final.steps.map((s) => [s.name, s.phase])).toEqual([
      ['approved', 'CANCELLED'],
      ['labelled', 'CANCELLED'],
    ]);
    await approve('delta');
    // The driver runs again on the annotation's change event; the operation stays cancelled.
    await app.gateway.operations.driver(MC)!.idle();
    const labels = await kubectlOk(mc, [
      'get',
      'cluster',
      '-n',
      'default',
      'delta',
      '-o',
      'jsonpath={.metadata.labels}',
    ]);
    expect(labels).not.toContain(LABELLED);
    expect((await kubectlOperation(op)).status.phase).toBe('CANCELLED');

    const again = await gql(app.url, CancelOperationDocument, { id: operationId(op) });
    expect(again.data?.cancelOperation).toMatchObject({ __typename: 'ConflictError' });
    const foreign = await gql(app.url, CancelOperationDocument, {
      id: encodeGlobalId(clusterAddress(MC, 'default', 'delta')),
    });
    expect(foreign.data?.cancelOperation).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'id' }],
    });
    const gone = await gql(app.url, CancelOperationDocument, {
      id: encodeGlobalId({ ...op.address, name: 'no-such-operation' }),
    });
    expect(gone.data?.cancelOperation).toMatchObject({ __typename: 'NotFoundError' });
    const garbage = await gql(app.url, CancelOperationDocument, { id: 'not-an-id' });
    expect(garbage.data?.cancelOperation).toMatchObject({ __typename: 'ValidationError' });
  });

  it('lists the history newest first, filtered and paged', async () => {
    const app = await gateway('capi-gateway-operations-e');
    await createCluster('echo');
    const older = await start(app, 'echo');
    await new Promise((r) => setTimeout(r, 1100)); // creationTimestamps have second precision
    const newer = await start(app, 'echo');
    await eventually(
      async () => {
        const res = await gql(app.url, OperationsDocument, {
          filter: { targetId: encodeGlobalId(clusterAddress(MC, 'default', 'echo')) },
          first: 1,
        });
        return res.data?.operations.totalCount === 2 ? res.data.operations : undefined;
      },
      10_000,
      'both operations in the history',
    ).then(async (page) => {
      expect(page.edges.map((e) => e.node.id)).toEqual([operationId(newer)]);
      expect(page.pageInfo.hasNextPage).toBe(true);
      const next = await gql(app.url, OperationsDocument, {
        filter: { targetId: encodeGlobalId(clusterAddress(MC, 'default', 'echo')) },
        first: 1,
        after: page.pageInfo.endCursor,
      });
      expect(next.data?.operations.edges.map((e) => e.node.id)).toEqual([operationId(older)]);
    });
    await approve('echo');
    await untilPhase(app, older, 'SUCCEEDED');
    await untilPhase(app, newer, 'SUCCEEDED');
    const byPhase = await gql(app.url, OperationsDocument, {
      filter: { types: ['AwaitApproval'], phases: ['RUNNING', 'PENDING'] },
    });
    expect(byPhase.data?.operations.edges.map((e) => e.node.id)).not.toContain(operationId(newer));
  });
});
