import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeByIdDocument, NodesByIdsDocument } from '../generated/graphql.ts';
import { inProcessGateway, type InProcessGateway } from './support/in-process-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

/** An ID as the gateway encodes them (base64url JSON of the address), with anything inside. */
const forge = (tuple: unknown): string => Buffer.from(JSON.stringify(tuple)).toString('base64url');

describe('forged global IDs', () => {
  let g: InProcessGateway;
  beforeAll(async () => {
    g = await inProcessGateway({
      mc: syntheticFleet({ clusters: 1, controlPlaneMachines: 1, workerMachines: 0 }),
    });
  });
  afterAll(() => g.stop());

  const forged = {
    unknownManagementCluster: forge(['nowhere', 'cluster.x-k8s.io', 'Cluster', 'fleet', 'cluster-0000']),
    tooShort: forge(['mc', 'cluster.x-k8s.io', 'Cluster', 'cluster-0000']),
    tooLong: forge(['mc', 'cluster.x-k8s.io', 'Cluster', 'fleet', 'cluster-0000', 'extra']),
    notStrings: forge(['mc', 1, 'Cluster', 'fleet', null]),
    notAnArray: forge({ managementCluster: 'mc', kind: 'Cluster', name: 'cluster-0000' }),
    secret: forge(['mc', '', 'Secret', 'fleet', 'cluster-0000-kubeconfig']),
    crd: forge(['mc', 'apiextensions.k8s.io', 'CustomResourceDefinition', '', 'clusters.cluster.x-k8s.io']),
    managementClusterId: forge(['ManagementCluster', 'mc']),
    wrongKindForName: forge(['mc', 'cluster.x-k8s.io', 'Machine', 'fleet', 'cluster-0000']),
    notBase64: '%%%',
  };

  it('answers null for each, without an error and without reading anything it should not', async () => {
    for (const [what, id] of Object.entries(forged)) {
      const res = await g.query(NodeByIdDocument, { id });
      expect({ what, res }).toEqual({ what, res: { data: { node: null } } });
    }
  });

  it('answers the real ones among them in `nodes`, null for the rest, in order', async () => {
    const real = forge(['mc', 'cluster.x-k8s.io', 'Cluster', 'fleet', 'cluster-0000']);
    const res = await g.query(NodesByIdsDocument, { ids: [real, ...Object.values(forged), real] });
    expect(res.errors).toBeUndefined();
    const cluster = { __typename: 'Cluster', name: 'cluster-0000' };
    expect(res.data!.nodes).toEqual([cluster, ...Object.values(forged).map(() => null), cluster]);
  });
});
