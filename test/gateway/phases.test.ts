import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { ClustersByPhaseDocument } from '../generated/graphql.ts';
import { inProcessGateway, type InProcessGateway } from './support/in-process-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

/** Two provisioned clusters; the second's Cluster and one Machine carry phases CAPI never wrote. */
function fleet(): KubeObject[] {
  const objects = syntheticFleet({ clusters: 2, controlPlaneMachines: 1, workerMachines: 1 });
  const odd = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name)!;
  (odd('Cluster', 'cluster-0001')['status'] as { phase: string }).phase = 'Hibernating';
  (odd('Machine', 'cluster-0001-cp-0')['status'] as { phase: string }).phase = 'running';
  const md = odd('MachineDeployment', 'cluster-0000-md-0');
  delete (md as { status?: unknown }).status;
  return objects;
}

describe('phases are enums with the values CAPI writes', () => {
  let g: InProcessGateway;
  beforeAll(async () => {
    g = await inProcessGateway({ mc: fleet() });
  });
  afterAll(() => g.stop());

  it('filters by a CAPI phase', async () => {
    const res = await g.query(ClustersByPhaseDocument, { phase: 'Provisioned', machinePhase: 'Running' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.clusters.edges.map((e) => e.node.name)).toEqual(['cluster-0000']);
    const node = res.data!.clusters.edges[0]!.node;
    expect(node.phase).toBe('Provisioned');
    expect(node.machines.map((m) => m.phase)).toEqual(['Running', 'Running']);
  });

  it('refuses a phase spelled otherwise, naming the allowed values', async () => {
    const literal = await g.query('{ clusters(filter: { phase: provisioned }) { totalCount } }');
    expect(literal.data).toBeUndefined();
    expect(literal.errors).toHaveLength(1);
    expect(literal.errors![0]!.message).toContain('"provisioned" does not exist in "ClusterPhase"');
    expect(literal.errors![0]!.message).toContain(
      'Allowed values: Deleting, Failed, Pending, Provisioned, Provisioning, Unknown.',
    );

    const variable = await g.query(ClustersByPhaseDocument, { phase: 'provisioned' as never });
    expect(variable.data).toBeUndefined();
    expect(variable.errors![0]!.message).toMatch(/"\$phase" got invalid value "provisioned"/);
    expect(variable.errors![0]!.message).toContain('Allowed values: Deleting, Failed, Pending, Provisioned');

    const machines = await g.query(
      '{ clusters { edges { node { machines(filter: { phase: "Running" }) { name } } } } }',
    );
    expect(machines.errors![0]!.message).toContain(
      'Allowed values: Deleted, Deleting, Failed, Pending, Provisioned, Provisioning, Running, Unknown, Updating.',
    );
  });

  it('reads a phase it does not know as Unknown and a missing one as null, without failing the query', async () => {
    const res = await g.query(ClustersByPhaseDocument, {});
    expect(res.errors).toBeUndefined();
    const [first, second] = res.data!.clusters.edges.map((e) => e.node);
    expect(first!.machineDeployments).toEqual([{ name: 'cluster-0000-md-0', phase: null }]);
    expect(second!.phase).toBe('Unknown');
    expect(second!.machines.find((m) => m.name === 'cluster-0001-cp-0')!.phase).toBe('Unknown');

    const unknown = await g.query(ClustersByPhaseDocument, { phase: 'Unknown' });
    expect(unknown.data?.clusters.edges.map((e) => e.node.name)).toEqual(['cluster-0001']);
  });
});
