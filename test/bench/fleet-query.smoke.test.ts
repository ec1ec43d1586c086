import { describe, expect, it } from 'vitest';
import { runFleetQuery } from './fleet-query.ts';

describe('the fleet-query benchmark (smoke: 5 clusters, no timings asserted)', () => {
  it('loads the fleet, answers the full graph from the caches with no API requests, and the other readers agree', async () => {
    const report = await runFleetQuery({
      clusters: 5,
      runs: 3,
      warmup: 1,
      dataloaderRuns: 1,
      naiveRuns: 1,
      log: () => {},
    });
    expect(report.counts).toEqual({
      clusters: 5,
      infrastructureClusters: 5,
      controlPlaneMachines: 15,
      workerMachines: 50,
      infrastructureMachines: 65,
    });
    // Cluster, DockerCluster, KCP, MD, MS + 13 × (Machine, DockerMachine, KubeadmConfig) each.
    expect(report.objects).toBe(5 * (5 + 13 * 3));
    expect(report.line).toMatchObject({
      scenario: 'fleet-query',
      clusters: 5,
      machines: 65,
      api_requests_during_queries: 0,
    });
    expect(report.readersAgree).toEqual({ dataloader: true, naive: true });
    // The naive reader makes one LIST per field: far more requests than the batched reader.
    expect(report.naiveRequestsPerQuery).toBeGreaterThan(5 * 13);
  }, 120_000);
});
