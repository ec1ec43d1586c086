/**
 * The day-2 commands: scale, upgrade (with --plan), pause, resume, rollout restart, delete,
 * upgrade-fleet, cancel and operations. Each names its objects as a user does (cluster names,
 * pool names, machine names), sends one mutation through the typed client, and prints the
 * Operation it started (run-operation.ts).
 */
import {
  CancelOperationDocument,
  DeleteClusterDocument,
  DeleteMachineDocument,
  GetOperationDocument,
  type GatewayClient,
  ListMachineDeploymentsDocument,
  ListOperationsDocument,
  type OperationFieldsFragment,
  PauseClusterDocument,
  PlanUpgradeDocument,
  ResumeClusterDocument,
  RolloutControlPlaneDocument,
  RolloutMachineDeploymentDocument,
  ScaleControlPlaneDocument,
  ScaleMachineDeploymentDocument,
  ScaleMachinePoolDocument,
  UpgradeClusterDocument,
  UpgradeClustersDocument,
} from '../../../client/index.ts';
import { allPages, clusterFilter } from './cluster-scope.ts';
import { formatColumns } from './columns.ts';
import { clusterTargets, controlPlaneId, machineId, poolId, type TargetScope } from './find-targets.ts';
import { getOperations } from './get-operations.ts';
import { errorFailure, payloadOf } from './mutation-outcome.ts';
import { CliFailure, clientFrom, exitCodes, failureOf, runCommand, serialize } from './output.ts';
import { fieldOf, reportOperation, runOperation, type MutationOptions } from './run-operation.ts';

export type Day2Options = MutationOptions & TargetScope & { cluster?: string };

const controlPlaneKinds = ['controlplane', 'cp', 'kcp', 'kubeadmcontrolplane'];
const deploymentKinds = ['machinedeployment', 'machinedeployments', 'md'];
const poolKinds = ['machinepool', 'machinepools', 'mp'];

function usage(message: string): CliFailure {
  return new CliFailure(message, exitCodes.usage);
}

/** A MachineDeployment by name: in `--cluster` (name or pool name), else across the fleet. */
async function deploymentId(client: GatewayClient, name: string, opts: Day2Options): Promise<string> {
  if (opts.cluster !== undefined) return poolId(client, 'MachineDeployment', opts.cluster, name, opts);
  const found = await allPages<{ id: string; where: string }>(async (after) => {
    const res = await client.request(ListMachineDeploymentsDocument, {
      filter: clusterFilter(opts),
      first: 100,
      ...(after === undefined ? {} : { after }),
    });
    if (!res.ok) throw failureOf(res.error);
    const page = res.data.clusters;
    return {
      items: page.edges.flatMap(({ node }) =>
        node.machineDeployments
          .filter((md) => md.name === name)
          .map((md) => ({
            id: md.id,
            where: `${node.managementCluster.name}/${node.namespace}/${node.name}`,
          })),
      ),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  if (found.length === 0)
    throw new CliFailure(
      `MachineDeployment "${name}" not found (a topology pool name needs --cluster)`,
      exitCodes.failed,
    );
  if (found.length > 1)
    throw new CliFailure(
      `MachineDeployment "${name}" is ambiguous: ${found.map((f) => f.where).join(', ')} (use --cluster, --mc and -n)`,
      exitCodes.failed,
    );
  return found[0]!.id;
}

export async function runScale(
  kind: string,
  name: string,
  opts: Day2Options & { replicas: number },
): Promise<void> {
  await runCommand(async () => {
    const client = clientFrom(opts);
    const k = kind.toLowerCase();
    const replicas = opts.replicas;
    if (controlPlaneKinds.includes(k)) {
      const id = await controlPlaneId(client, name, opts);
      return runOperation(client, opts, () => client.request(ScaleControlPlaneDocument, { id, replicas }));
    }
    if (deploymentKinds.includes(k)) {
      const id = await deploymentId(client, name, opts);
      return runOperation(client, opts, () =>
        client.request(ScaleMachineDeploymentDocument, { id, replicas }),
      );
    }
    if (poolKinds.includes(k)) {
      if (opts.cluster === undefined) throw usage('scale machinepool needs --cluster');
      const id = await poolId(client, 'MachinePool', opts.cluster, name, opts);
      return runOperation(client, opts, () => client.request(ScaleMachinePoolDocument, { id, replicas }));
    }
    throw usage(`cannot scale "${kind}" (one of: controlplane, machinedeployment, machinepool)`);
  });
}

export async function runUpgrade(
  cluster: string,
  opts: Day2Options & { version: string; plan?: boolean; intermediateVersions?: string[] },
): Promise<void> {
  await runCommand(async () => {
    const client = clientFrom(opts);
    const { id } = await clusterTargets(client, cluster, opts);
    const args = {
      id,
      version: opts.version,
      ...(opts.intermediateVersions ? { intermediateVersions: opts.intermediateVersions } : {}),
    };
    if (opts.plan) return printPlan(client, args, opts);
    return runOperation(client, opts, () => client.request(UpgradeClusterDocument, args));
  });
}

async function printPlan(
  client: GatewayClient,
  args: { id: string; version: string; intermediateVersions?: string[] },
  opts: MutationOptions,
): Promise<number> {
  const plan = payloadOf(fieldOf(await client.request(PlanUpgradeDocument, args)));
  if (!('steps' in plan)) throw new CliFailure('the gateway answered without a plan', exitCodes.failed);
  if (opts.output === 'json' || opts.output === 'yaml') {
    process.stdout.write(
      opts.output === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : serialize('yaml', [plan]),
    );
  } else {
    const from = plan.currentControlPlaneVersion ?? '<unknown>';
    process.stdout.write(
      `Upgrade plan to ${plan.targetVersion} (control plane now ${from}; ${plan.topology ? 'ClusterClass: CAPI orchestrates' : 'step by step'}):\n`,
    );
    process.stdout.write(
      formatColumns(
        ['STEP', 'KIND', 'FROM', 'TO', 'MACHINES'],
        plan.steps.map((s) => [
          s.name,
          s.kind,
          s.fromVersion ?? '<none>',
          s.toVersion,
          String(s.machineCount),
        ]),
      ),
    );
    for (const b of plan.blockers) process.stdout.write(`blocked: ${b.code}: ${b.message}\n`);
    process.stdout.write(plan.canStart ? 'The upgrade can start.\n' : 'The upgrade cannot start now.\n');
  }
  return plan.canStart ? exitCodes.ok : exitCodes.conflict;
}

const clusterMutations = {
  pause: PauseClusterDocument,
  resume: ResumeClusterDocument,
  delete: DeleteClusterDocument,
} as const;

export async function runClusterMutation(
  verb: keyof typeof clusterMutations,
  cluster: string,
  opts: Day2Options,
): Promise<void> {
  await runCommand(async () => {
    const client = clientFrom(opts);
    const { id } = await clusterTargets(client, cluster, opts);
    // The three documents share one shape: `{ id }` in, a ClusterOperationPayload or an error out.
    const document = clusterMutations[verb] as typeof PauseClusterDocument;
    return runOperation(client, opts, () => client.request(document, { id }));
  });
}

export async function runDelete(kind: string, name: string, opts: Day2Options): Promise<void> {
  const k = kind.toLowerCase();
  if (['cluster', 'clusters', 'cl'].includes(k)) return runClusterMutation('delete', name, opts);
  await runCommand(async () => {
    if (!['machine', 'machines', 'ma'].includes(k))
      throw usage(`cannot delete "${kind}" (one of: cluster, machine)`);
    const client = clientFrom(opts);
    const id = await machineId(client, name, opts);
    return runOperation(client, opts, () => client.request(DeleteMachineDocument, { id }));
  });
}

export async function runRollout(
  action: string,
  kind: string,
  name: string,
  opts: Day2Options,
): Promise<void> {
  await runCommand(async () => {
    if (action !== 'restart') throw usage(`unknown rollout action "${action}" (only: restart)`);
    const client = clientFrom(opts);
    const k = kind.toLowerCase();
    if (controlPlaneKinds.includes(k)) {
      const id = await controlPlaneId(client, name, opts);
      return runOperation(client, opts, () => client.request(RolloutControlPlaneDocument, { id }));
    }
    if (deploymentKinds.includes(k)) {
      const id = await deploymentId(client, name, opts);
      return runOperation(client, opts, () => client.request(RolloutMachineDeploymentDocument, { id }));
    }
    throw usage(`cannot restart "${kind}" (one of: controlplane, machinedeployment)`);
  });
}

export async function runUpgradeFleet(
  opts: MutationOptions &
    TargetScope & {
      selector?: string;
      version: string;
      canary?: string[];
      maxConcurrency: number;
      soakSeconds?: number;
    },
): Promise<void> {
  await runCommand(async () => {
    const client = clientFrom(opts);
    const canaries = await Promise.all(
      (opts.canary ?? []).map(async (name) => (await clusterTargets(client, name, opts)).id),
    );
    const strategy = {
      maxConcurrency: opts.maxConcurrency,
      ...(canaries.length > 0 ? { canaries } : {}),
      ...(opts.soakSeconds === undefined ? {} : { soakBetweenWavesSeconds: opts.soakSeconds }),
    };
    return runOperation(client, opts, () =>
      client.request(UpgradeClustersDocument, {
        filter: clusterFilter(opts),
        strategy,
        version: opts.version,
      }),
    );
  });
}

/** An operation by its ID, or by its name (as `get operations` prints it). */
async function findOperation(
  client: GatewayClient,
  ref: string,
  opts: TargetScope,
): Promise<OperationFieldsFragment> {
  const byId = await client.request(GetOperationDocument, { id: ref });
  if (!byId.ok && byId.error.kind !== 'graphql') throw failureOf(byId.error);
  if (byId.ok && byId.data.operation) return byId.data.operation;
  const filter = {
    ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
    ...(opts.mc === undefined ? {} : { managementCluster: opts.mc }),
  };
  const named = await allPages<OperationFieldsFragment>(async (after) => {
    const res = await client.request(ListOperationsDocument, {
      filter,
      first: 200,
      ...(after === undefined ? {} : { after }),
    });
    if (!res.ok) throw failureOf(res.error);
    const page = res.data.operations;
    return {
      items: page.edges.map((e) => e.node).filter((op) => op.name === ref),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  if (named.length === 0) throw new CliFailure(`operation "${ref}" not found`, exitCodes.failed);
  if (named.length > 1)
    throw new CliFailure(
      `operation "${ref}" is ambiguous: give its ID (get operations -o wide)`,
      exitCodes.failed,
    );
  return named[0]!;
}

export async function runCancel(ref: string, opts: MutationOptions & TargetScope): Promise<void> {
  await runCommand(async () => {
    const client = clientFrom(opts);
    const op = await findOperation(client, ref, opts);
    const answer = fieldOf(await client.request(CancelOperationDocument, { id: op.id }));
    if (!('operation' in answer)) throw errorFailure(answer);
    return reportOperation(client, opts, answer.operation);
  });
}

/** `operations` lists the history (as `get operations`); `operations REF --watch` follows one. */
export async function runOperations(
  ref: string | undefined,
  opts: MutationOptions & TargetScope & { watch?: boolean },
): Promise<void> {
  await runCommand(async () => {
    if (ref === undefined) {
      if (opts.watch) throw usage('operations --watch follows one operation: give its name or ID');
      return getOperations(opts);
    }
    const client = clientFrom(opts);
    const op = await findOperation(client, ref, opts);
    return reportOperation(client, { ...opts, wait: opts.watch ?? false }, op);
  });
}
