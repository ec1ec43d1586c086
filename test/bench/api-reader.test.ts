import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createGatewayContext } from '../../resolvers/context.ts';
import { buildGatewaySchema } from '../../schema/index.ts';
import { ApiFleetReader } from './api-reader.ts';
import { executeInRounds } from './rounds.ts';
import { fleetOf } from '../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from '../gateway/support/fake-transport.ts';
import { syntheticFleet } from '../gateway/support/synthetic-fleet.ts';

const FULL_GRAPH = parse(`{
  clusters { totalCount edges { node { id name phase kubernetesVersion
    infrastructureCluster { name provisioned }
    controlPlane { name desired ready version machines { name phase infrastructureMachine { name provisioned providerID } } }
    machineDeployments { name desired phase machineSets { name replicas machines { name phase version nodeName
      infrastructureMachine { name provisioned addresses { address } machine { name } } } } }
  } } }
}`);

async function run(clusters: number) {
  const transport = new FakeTransport(capiFakeKinds);
  for (const object of syntheticFleet({ clusters, controlPlaneMachines: 3, workerMachines: 4 }))
    transport.put(object);
  const schema = buildGatewaySchema();

  const cache = new ManagementClusterCache(new ManagementClusterConnection('mc', 'https://fake', transport));
  const fleet = fleetOf([cache]);
  fleet.start();
  expect(await fleet.whenSynced(20_000)).toBe(true);
  const cached = await execute({
    schema,
    document: FULL_GRAPH,
    contextValue: createGatewayContext(fleet.reader),
  });
  await fleet.stop();

  const before = { ...transport.requests };
  const reader = new ApiFleetReader([{ name: 'mc', server: 'https://fake', transport }]);
  const live = await executeInRounds(reader, (contextValue) =>
    execute({ schema, document: FULL_GRAPH, contextValue }),
  );
  return {
    cached,
    live,
    lists: transport.requests.list - before.list,
    gets: transport.requests.get - before.get,
  };
}

describe('the API-backed reader', () => {
  it('answers the full graph like the caches, with LISTs that do not grow with the fleet', async () => {
    const small = await run(3);
    expect(small.live.errors).toBeUndefined();
    expect(small.live.data).toEqual(small.cached.data);

    const large = await run(12);
    expect(large.live.data).toEqual(large.cached.data);
    expect((large.live.data as { clusters: { totalCount: number } }).clusters.totalCount).toBe(12);
    // One LIST per kind and shape of lookup (CRDs, clusters, MDs, MSs by label, machines by label).
    expect(large.lists).toBe(small.lists);
    expect(large.lists).toBeLessThanOrEqual(8);
    // GETs only for objects reached by reference, each once: CP, infra cluster, infra machines.
    expect(large.gets).toBe(12 * (1 + 1 + 7));
  });
});

describe('errors from the API server', () => {
  it('never reach the client raw: the failing management cluster is reported with a scrubbed reason', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    const leaky = Object.assign(new Error('GET https://10.0.0.1/apis?token=s3cr3t failed'), {
      statusCode: 500,
      body: '{}',
    });
    transport.list = async () => {
      throw leaky;
    };
    const reader = new ApiFleetReader([{ name: 'mc', server: 'https://fake', transport }]);
    const result = await executeInRounds(reader, (contextValue) =>
      execute({
        schema: buildGatewaySchema(),
        document: parse('{ clusters { totalCount errors { managementCluster message } } }'),
        contextValue,
      }),
    );
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
    expect(result.data).toEqual({
      clusters: {
        totalCount: 0,
        errors: [{ managementCluster: 'mc', message: expect.stringMatching(/API server answered 500/) }],
      },
    });
  });
});
