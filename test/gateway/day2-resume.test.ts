import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { Day2OperationDocument, UpgradeClusterDocument } from '../generated/graphql.ts';
import { applyYaml, items, MachineHistory, plainClusterYaml, waitSettled } from './support/day2-fleet.ts';
import { call, clusterIds, MC, succeeded } from './support/day2-gateway.ts';
import { eventually, gql } from './support/gql.ts';
import { killGateway, startOperationsGateway } from './support/operations-fixture.ts';

describe('a plain-cluster upgrade whose gateway dies mid-way', () => {
  let mc: TestEmbeddedCluster;
  let first: App | undefined;
  let second: App | undefined;
  let history: MachineHistory;

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 15 });
    history = new MachineHistory(mc);
    await applyYaml(
      mc,
      plainClusterYaml({
        name: 'k-plain',
        version: 'v1.32.4',
        controlPlaneReplicas: 1,
        workers: [{ name: 'a', replicas: 1 }],
      }),
    );
    first = await startOperationsGateway(MC, mc.kubeconfigPath);
    await waitSettled(mc, 'k-plain', 150_000);
  }, 240_000);

  afterAll(async () => {
    history?.stop();
    await second?.stop();
    await mc?.stop();
  });

  it('is finished by the next gateway, from where it was, without repeating a step', async () => {
    const { id } = await clusterIds(first!, 'k-plain');
    const result = (await call(first!, UpgradeClusterDocument, { id, version: 'v1.34.0' })).upgradeCluster;
    if (result.__typename !== 'UpgradeClusterPayload') throw new Error(JSON.stringify(result));
    const opId = result.operation.id;
    // Kill the driver (no lease hand-over) once the first minor is done, before the last step.
    const atKill = await eventually(
      async () => {
        const op = (await call(first!, Day2OperationDocument, { id: opId })).operation;
        return op?.steps[0]?.phase === 'SUCCEEDED' ? op : undefined;
      },
      60_000,
      'the first control-plane minor to be done',
    );
    await killGateway(first!);
    expect(atKill.phase).toBe('RUNNING');
    first = undefined;

    second = await startOperationsGateway(MC, mc.kubeconfigPath);
    const op = await succeeded(second, opId, 180_000);
    expect(op.steps.map((s) => [s.name, s.phase])).toEqual([
      ['control-plane/v1.33', 'SUCCEEDED'],
      ['control-plane/v1.34', 'SUCCEEDED'],
      ['machine-deployment/k-plain-a', 'SUCCEEDED'],
    ]);
    const drivenBy = await gql<{ operation: { drivenBy: string } }>(
      second.url,
      `{ operation(id: "${opId}") { drivenBy } }`,
    );
    expect(drivenBy.data?.operation.drivenBy).toBe(second.gateway.operations.identity);
    const kcp = (await items(mc, 'kcp', 'k-plain'))[0]!;
    expect(kcp.status?.version).toBe('v1.34.0');
    // Each minor rolled the single control-plane machine exactly once, the workers once.
    const all = history.of('k-plain');
    expect(all.filter((m) => m.controlPlane && m.version === 'v1.33.0')).toHaveLength(1);
    expect(all.filter((m) => m.controlPlane && m.version === 'v1.34.0')).toHaveLength(1);
    expect(all.filter((m) => !m.controlPlane && m.version === 'v1.34.0')).toHaveLength(1);
  });
});
