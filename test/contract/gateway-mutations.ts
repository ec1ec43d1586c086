/**
 * The gateway's mutations on each fixture: one cluster is created from the fixture's ClusterClass
 * (the in-memory one the kubectl-level lifecycle uses), scaled, upgraded and deleted through
 * GraphQL, each an operation followed to SUCCEEDED; kubectl then shows the end state.
 */
import { afterAll, expect, it } from 'vitest';
import {
  ContractClusterClassesDocument,
  ContractCreateClusterDocument,
  ContractDeleteClusterDocument,
  ContractMutationTargetDocument,
  ContractOperationPhaseDocument,
  ContractScaleMachineDeploymentDocument,
  ContractUpgradeClusterDocument,
} from '../generated/graphql.ts';
import type { ContractOperationFragment } from '../generated/graphql.ts';
import { pollUntil } from '../realcluster/poll.ts';
import { runKubectl } from '../support/embedded-cluster.ts';
import { render } from './cluster-lifecycle.ts';
import type { LifecycleContext } from './cluster-lifecycle.ts';
import { dataOf, managementClusterName, startContractGateway } from './gateway.ts';
import type { ContractGateway } from './gateway.ts';
import { createAll } from './kube.ts';
import type { Loose } from './kube.ts';

const name = 'contract-gql';
const fromVersion = 'v1.35.0';
const toVersion = 'v1.36.0';
const clusterClass = 'in-memory';

interface MachineLine {
  name: string;
  phase: string;
  version: string;
  controlPlane: boolean;
}

/** The cluster's machines as kubectl lists them. */
async function kubectlMachines(ctx: LifecycleContext): Promise<MachineLine[]> {
  const result = await runKubectl(ctx.kubeconfigPath(), [
    'get',
    'machines.cluster.x-k8s.io',
    '-n',
    ctx.namespace(),
    '-l',
    `cluster.x-k8s.io/cluster-name=${name}`,
    '-o',
    'json',
  ]);
  if (result.code !== 0) throw new Error(`kubectl get machines: ${result.stderr}`);
  const list = JSON.parse(result.stdout) as { items: Loose[] };
  return list.items.map((m) => ({
    name: m.metadata?.name ?? '',
    phase: String(m.status?.phase),
    version: String(m.spec?.version),
    // CAPI labels control-plane machines with an empty value: presence is what counts.
    controlPlane: m.metadata?.labels?.['cluster.x-k8s.io/control-plane'] !== undefined,
  }));
}

/** What kubectl still lists of the cluster: the Cluster itself and every object labelled with it. */
async function kubectlLeftovers(ctx: LifecycleContext): Promise<string[]> {
  const kinds = [
    'machines.cluster.x-k8s.io',
    'machinesets.cluster.x-k8s.io',
    'machinedeployments.cluster.x-k8s.io',
    'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
  ].join(',');
  const labelled = await runKubectl(ctx.kubeconfigPath(), [
    'get',
    kinds,
    '-n',
    ctx.namespace(),
    '-l',
    `cluster.x-k8s.io/cluster-name=${name}`,
    '-o',
    'name',
  ]);
  const cluster = await runKubectl(ctx.kubeconfigPath(), [
    'get',
    'clusters.cluster.x-k8s.io',
    '-n',
    ctx.namespace(),
    '--field-selector',
    `metadata.name=${name}`,
    '-o',
    'name',
  ]);
  if (labelled.code !== 0 || cluster.code !== 0)
    throw new Error(`kubectl get: ${labelled.stderr}${cluster.stderr}`);
  return `${cluster.stdout}${labelled.stdout}`.split('\n').filter((line) => line.trim() !== '');
}

function summary(machines: MachineLine[]) {
  return {
    controlPlane: machines.filter((m) => m.controlPlane).length,
    workers: machines.filter((m) => !m.controlPlane).length,
    phases: [...new Set(machines.map((m) => m.phase))],
    versions: [...new Set(machines.map((m) => m.version))],
  };
}

export function gatewayMutationTests(ctx: LifecycleContext): void {
  const timeout = ctx.stepTimeoutMs + 30_000;
  let gateway: ContractGateway | undefined;
  let clusterId: string | undefined;
  const gatewayFor = async (): Promise<ContractGateway> => {
    gateway ??= await startContractGateway(ctx.kubeconfigPath(), { operations: true });
    return gateway;
  };
  const requireClusterId = (): string => {
    if (clusterId === undefined) throw new Error(`${name} was not created through the gateway`);
    return clusterId;
  };
  afterAll(async () => {
    await gateway?.stop();
  });

  /** Polls the operation until SUCCEEDED; a FAILED or CANCELLED end fails at once with its steps. */
  const untilSucceeded = async (
    operation: ContractOperationFragment,
    what: string,
  ): Promise<ContractOperationFragment> => {
    const g = await gatewayFor();
    let last = operation;
    try {
      return await pollUntil(
        async () => {
          const answer = dataOf(await g.query(ContractOperationPhaseDocument, { id: operation.id }));
          if (answer.operation !== null && answer.operation !== undefined) last = answer.operation;
          return last.phase === 'SUCCEEDED' ? last : undefined;
        },
        {
          what: `${what} (operation ${operation.type}) to succeed`,
          timeoutMs: ctx.stepTimeoutMs,
          intervalMs: 500,
          abortIf: () => (['FAILED', 'CANCELLED'].includes(last.phase) ? `ended ${last.phase}` : undefined),
        },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`);
    }
  };

  it.skipIf(ctx.skip)(
    'createCluster from the ClusterClass: the operation succeeds with every machine Running',
    async () => {
      const namespace = ctx.namespace();
      const classObjects = render(ctx.capiDir, 'clusterclass-in-memory.yaml', { NAMESPACE: namespace });
      await createAll(ctx.kube(), classObjects, namespace);
      const g = await gatewayFor();
      await pollUntil(
        async () => {
          const classes = dataOf(
            await g.query(ContractClusterClassesDocument, {
              managementCluster: managementClusterName,
              namespace,
            }),
          ).clusterClasses;
          return classes.some((c) => c.name === clusterClass) ? true : undefined;
        },
        { what: `ClusterClass ${clusterClass} in the gateway`, timeoutMs: 30_000, intervalMs: 250 },
      );
      const created = dataOf(
        await g.query(ContractCreateClusterDocument, {
          input: {
            managementCluster: managementClusterName,
            namespace,
            name,
            clusterClass,
            kubernetesVersion: fromVersion,
            controlPlaneReplicas: 1,
            workers: [{ name: 'md-0', class: 'default-worker', replicas: 1 }],
            variables: {},
          },
        }),
      ).createCluster;
      if (created.__typename !== 'CreateClusterPayload' || !created.operation)
        throw new Error(`createCluster: ${JSON.stringify(created)}`);
      expect(created.cluster?.name).toBe(name);
      clusterId = created.cluster?.id;
      const done = await untilSucceeded(created.operation, 'createCluster');
      expect(done.steps.every((s) => s.phase === 'SUCCEEDED')).toBe(true);
      expect(summary(await kubectlMachines(ctx))).toEqual({
        controlPlane: 1,
        workers: 1,
        phases: ['Running'],
        versions: [fromVersion],
      });
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    'scaleMachineDeployment: the operation succeeds with the new machine count Running',
    async () => {
      const g = await gatewayFor();
      const target = dataOf(
        await g.query(ContractMutationTargetDocument, {
          managementCluster: managementClusterName,
          namespace: ctx.namespace(),
          name,
        }),
      ).cluster;
      if (target.__typename !== 'Cluster') throw new Error(`${name}: ${JSON.stringify(target)}`);
      expect(target.id).toBe(requireClusterId());
      const [deployment] = target.machineDeployments;
      if (deployment === undefined) throw new Error(`${name} has no MachineDeployment`);
      const scaled = dataOf(
        await g.query(ContractScaleMachineDeploymentDocument, { id: deployment.id, replicas: 2 }),
      ).scaleMachineDeployment;
      if (scaled.__typename !== 'ScaleMachineDeploymentPayload')
        throw new Error(`scaleMachineDeployment: ${JSON.stringify(scaled)}`);
      await untilSucceeded(scaled.operation, 'scaleMachineDeployment');
      expect(summary(await kubectlMachines(ctx))).toEqual({
        controlPlane: 1,
        workers: 2,
        phases: ['Running'],
        versions: [fromVersion],
      });
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    `upgradeCluster to ${toVersion}: the operation succeeds with every machine Running it`,
    async () => {
      const g = await gatewayFor();
      // CAPI sets the Cluster's Available a moment after its MachineDeployment's (on the real
      // fixture, after the scale operation ended), and the gateway refuses to upgrade a cluster
      // that is not Available: wait for it, as an operator would.
      await pollUntil(
        async () => {
          const c = dataOf(
            await g.query(ContractMutationTargetDocument, {
              managementCluster: managementClusterName,
              namespace: ctx.namespace(),
              name,
            }),
          ).cluster;
          return c.__typename === 'Cluster' &&
            c.conditions.some((cond) => cond.type === 'Available' && cond.status === 'True')
            ? c
            : undefined;
        },
        { what: `${name} Available before the upgrade`, timeoutMs: ctx.stepTimeoutMs, intervalMs: 500 },
      );
      const upgraded = dataOf(
        await g.query(ContractUpgradeClusterDocument, { id: requireClusterId(), version: toVersion }),
      ).upgradeCluster;
      if (upgraded.__typename !== 'UpgradeClusterPayload')
        throw new Error(`upgradeCluster: ${JSON.stringify(upgraded)}`);
      await untilSucceeded(upgraded.operation, 'upgradeCluster');
      expect(summary(await kubectlMachines(ctx))).toEqual({
        controlPlane: 1,
        workers: 2,
        phases: ['Running'],
        versions: [toVersion],
      });
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    'deleteCluster: the operation succeeds and kubectl finds nothing of the cluster',
    async () => {
      const g = await gatewayFor();
      const deleted = dataOf(
        await g.query(ContractDeleteClusterDocument, { id: requireClusterId() }),
      ).deleteCluster;
      if (deleted.__typename !== 'ClusterOperationPayload')
        throw new Error(`deleteCluster: ${JSON.stringify(deleted)}`);
      await untilSucceeded(deleted.operation, 'deleteCluster');
      expect(await kubectlLeftovers(ctx)).toEqual([]);
    },
    timeout,
  );
}
