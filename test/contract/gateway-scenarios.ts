/**
 * The gateway on each fixture: a ClusterClass topology cluster and a plain KubeadmControlPlane +
 * MachineDeployment cluster are provisioned side by side, then the fleet-graph queries (tree,
 * counts, conditions, phases, versions, reverse edges, filters) must give the answers recorded
 * from the real fixture, up to generated names, uids and timestamps.
 */
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { renderTemplate } from '../../src/provisioning/render-template.ts';
import {
  ContractClusterClassesDocument,
  ContractClusterListDocument,
  ContractClusterTreeDocument,
  ContractFleetCountsDocument,
  ContractReverseEdgesDocument,
} from '../generated/graphql.ts';
import type { ContractClusterTreeQuery } from '../generated/graphql.ts';
import { render, waitForSettled } from './cluster-lifecycle.ts';
import type { LifecycleContext } from './cluster-lifecycle.ts';
import { expectedAnswer, recordAnswer, recording } from './expected-answers.ts';
import { dataOf, managementClusterName, startContractGateway } from './gateway.ts';
import type { ContractGateway } from './gateway.ts';
import { createAll } from './kube.ts';
import type { Loose } from './kube.ts';
import { normalise } from './normalise.ts';

export const topologyCluster = 'contract-topo';
export const plainCluster = 'contract-plain';
export const fromVersion = 'v1.35.0';
export const shapeLabel = 'contract.capi-gateway.dev/shape';

export interface GatewayScenarioContext extends LifecycleContext {
  fixture: string;
}

const plainTemplate = fileURLToPath(new URL('./templates/plain-cluster-in-memory.yaml', import.meta.url));

function withShape(objects: Loose[], shape: string): Loose[] {
  return objects.map((o) =>
    o.kind === 'Cluster'
      ? { ...o, metadata: { ...o.metadata, labels: { ...o.metadata?.labels, [shapeLabel]: shape } } }
      : o,
  );
}

export function plainClusterObjects(
  namespace: string,
  name: string,
  controlPlane: number,
  workers: number,
): Loose[] {
  const result = renderTemplate(readFileSync(plainTemplate, 'utf8'), {
    NAMESPACE: namespace,
    CLUSTER_NAME: name,
    KUBERNETES_VERSION: fromVersion,
    CONTROL_PLANE_MACHINE_COUNT: String(controlPlane),
    WORKER_MACHINE_COUNT: String(workers),
  });
  if (!result.ok) throw new Error(`plain-cluster-in-memory.yaml: ${result.error.message}`);
  return withShape(result.objects as Loose[], 'plain');
}

function topologyClusterObjects(capiDir: string, namespace: string): Loose[] {
  const variables = {
    NAMESPACE: namespace,
    CLUSTER_NAME: topologyCluster,
    KUBERNETES_VERSION: fromVersion,
    CONTROL_PLANE_MACHINE_COUNT: '1',
    WORKER_MACHINE_COUNT: '2',
  };
  return withShape(
    [
      ...render(capiDir, 'clusterclass-in-memory.yaml', variables),
      ...render(capiDir, 'cluster-template-in-memory.yaml', variables),
    ],
    'topology',
  );
}

type Tree = Extract<NonNullable<ContractClusterTreeQuery['cluster']>, { __typename: 'Cluster' }>;

/** Every global ID in a cluster tree: the objects whose parents the reverse-edge query reads. */
function idsOf(tree: Tree): string[] {
  const ids = [tree.id];
  if (tree.infrastructureCluster) ids.push(tree.infrastructureCluster.id);
  if (tree.controlPlane) ids.push(tree.controlPlane.id);
  for (const md of tree.machineDeployments) ids.push(md.id, ...md.machineSets.map((ms) => ms.id));
  ids.push(...tree.machineHealthChecks.map((mhc) => mhc.id));
  for (const m of tree.machines) {
    ids.push(m.id);
    if (m.infrastructureMachine) ids.push(m.infrastructureMachine.id);
    if (m.bootstrapConfig) ids.push(m.bootstrapConfig.id);
  }
  return ids;
}

/** Conditions that are True on a provisioned, healthy object (checked before recording). */
const healthyWhenTrue = /(Ready|Available|Healthy|Initialized|UpToDate|Provisioned|Succeeded)$/;

/** True when no condition in the answer says something is still on its way. */
function atRest(answer: unknown): boolean {
  if (Array.isArray(answer)) return answer.every(atRest);
  if (typeof answer !== 'object' || answer === null) return true;
  const obj = answer as Record<string, unknown>;
  if (typeof obj.type === 'string' && typeof obj.status === 'string' && healthyWhenTrue.test(obj.type)) {
    return obj.status === 'True';
  }
  return Object.values(obj).every(atRest);
}

/**
 * Polls the gateway until its normalised answer equals the recorded one (controllers keep
 * writing status for a while after the machines run); on the deadline, fails with the diff.
 * When recording, waits until every readiness condition is True and five answers in a row
 * (3 s apart) agree, and records that one.
 */
async function expectSameAnswer(
  ctx: GatewayScenarioContext,
  scenario: string,
  probe: () => Promise<unknown>,
): Promise<void> {
  const namespace = ctx.namespace();
  const answer = async (): Promise<unknown> => normalise(await probe(), namespace);
  if (recording(ctx.fixture)) {
    const recordBy = Date.now() + ctx.stepTimeoutMs;
    let previous = await answer();
    for (let agreeing = atRest(previous) ? 1 : 0; agreeing < 5;) {
      if (Date.now() > recordBy) {
        throw new Error(
          `${scenario} did not come to rest: ${JSON.stringify(previous, null, 1).slice(0, 4000)}`,
        );
      }
      await delay(3_000);
      const next = await answer();
      agreeing = atRest(next) && isDeepStrictEqual(next, previous) ? agreeing + 1 : 0;
      previous = next;
    }
    await recordAnswer(scenario, previous);
    return;
  }
  const expected = expectedAnswer(scenario);
  if (expected === undefined)
    throw new Error(`no recorded answer for ${scenario}: run with CONTRACT_RECORD=real`);
  const deadline = Date.now() + ctx.stepTimeoutMs;
  let last = await answer();
  while (!isDeepStrictEqual(last, expected) && Date.now() < deadline) {
    await delay(1_000);
    last = await answer();
  }
  expect(last, `${scenario} on the ${ctx.fixture} fixture`).toEqual(expected);
}

export function gatewayScenarioTests(ctx: GatewayScenarioContext): void {
  const timeout = ctx.stepTimeoutMs + 30_000;
  let gateway: ContractGateway | undefined;
  const gatewayFor = async (): Promise<ContractGateway> => {
    gateway ??= await startContractGateway(ctx.kubeconfigPath());
    return gateway;
  };
  afterAll(async () => {
    await gateway?.stop();
  });

  const tree = async (name: string): Promise<Tree> => {
    const g = await gatewayFor();
    const data = dataOf(
      await g.query(ContractClusterTreeDocument, {
        managementCluster: managementClusterName,
        namespace: ctx.namespace(),
        name,
      }),
    );
    if (data.cluster.__typename !== 'Cluster') throw new Error(`${name}: ${JSON.stringify(data.cluster)}`);
    return data.cluster;
  };

  // Each query scenario starts from both clusters settled (every machine Running at the version).
  const bothSettled = () =>
    Promise.all([
      waitForSettled(
        ctx,
        topologyCluster,
        { controlPlane: 1, workers: 2, version: fromVersion },
        'topology cluster provisioned',
      ),
      waitForSettled(
        ctx,
        plainCluster,
        { controlPlane: 3, workers: 2, version: fromVersion },
        'plain cluster provisioned',
      ),
    ]);

  it.skipIf(ctx.skip)(
    'provisions a topology cluster and a plain KCP + MachineDeployment cluster side by side',
    async () => {
      const namespace = ctx.namespace();
      await createAll(ctx.kube(), topologyClusterObjects(ctx.capiDir, namespace), namespace);
      await createAll(ctx.kube(), plainClusterObjects(namespace, plainCluster, 3, 2), namespace);
      const [topology, plain] = await bothSettled();
      expect(topology.running).toBe(3);
      expect(plain.running).toBe(5);
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    'shows the topology cluster tree: phases, counts, versions, conditions, references',
    async () => {
      await bothSettled();
      await expectSameAnswer(ctx, 'topology-cluster-tree', () => tree(topologyCluster));
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    'shows the plain cluster tree: phases, counts, versions, conditions, references',
    async () => {
      await bothSettled();
      await expectSameAnswer(ctx, 'plain-cluster-tree', () => tree(plainCluster));
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    'follows every reverse edge back to its parent',
    async () => {
      await bothSettled();
      await expectSameAnswer(ctx, 'reverse-edges', async () => {
        const ids = [...idsOf(await tree(topologyCluster)), ...idsOf(await tree(plainCluster))];
        const g = await gatewayFor();
        return dataOf(await g.query(ContractReverseEdgesDocument, { ids })).nodes;
      });
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    'counts and filters the fleet',
    async () => {
      const namespace = ctx.namespace();
      await bothSettled();
      const g = await gatewayFor();
      const counts = async (filter: Record<string, string>): Promise<unknown> =>
        dataOf(await g.query(ContractFleetCountsDocument, { filter: { namespace, ...filter } })).fleetSummary;
      const list = async (filter: Record<string, string>): Promise<unknown> =>
        dataOf(await g.query(ContractClusterListDocument, { filter: { namespace, ...filter } })).clusters;
      await expectSameAnswer(ctx, 'fleet-counts-and-filters', async () => ({
        all: await counts({}),
        provisioned: await counts({ phase: 'Provisioned' }),
        atFromVersion: await counts({ kubernetesVersion: fromVersion }),
        devClusters: await counts({ infrastructureKind: 'DevCluster' }),
        managementCluster: await counts({ managementCluster: managementClusterName }),
        listAll: await list({}),
        byName: await list({ nameContains: 'plain' }),
        byLabel: await list({ labelSelector: `${shapeLabel}=topology` }),
        byLabelNotIn: await list({ labelSelector: `${shapeLabel} notin (topology)` }),
        noneDeleting: await list({ phase: 'Deleting' }),
        noneAtOtherVersion: await list({ kubernetesVersion: 'v1.99.0' }),
        clusterClasses: dataOf(
          await g.query(ContractClusterClassesDocument, {
            managementCluster: managementClusterName,
            namespace,
          }),
        ).clusterClasses,
      }));
    },
    timeout,
  );
}
