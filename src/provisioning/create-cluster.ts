import { coreKinds } from '../capi/kinds.ts';
import type { ClusterView, MachineDeploymentView, MachinePoolView, MachineView } from '../capi/views.ts';
import type { ResourceTarget } from '../k8s/kube-transport.ts';
import { isControlPlaneMachine, membersOf } from './cluster-members.ts';
import {
  done,
  failed,
  waiting,
  type OperationType,
  type StepContext,
  type StepOutcome,
} from './operations/operation-type.ts';

const secrets: ResourceTarget = { group: '', version: 'v1', plural: 'secrets', namespaced: true };

function clusterOf(ctx: StepContext): ClusterView | null {
  const view = ctx.cache.get(ctx.operation.target!);
  return view?.viewKind === 'Cluster' ? view : null;
}

/** Every step after the first needs the Cluster: one deleted meanwhile fails the create. */
function withCluster(check: (cluster: ClusterView, ctx: StepContext) => StepOutcome | Promise<StepOutcome>) {
  return (ctx: StepContext): StepOutcome | Promise<StepOutcome> => {
    const cluster = clusterOf(ctx);
    if (!cluster) return failed('the Cluster is gone');
    if (cluster.deletionTimestamp) return failed('the Cluster is being deleted');
    return check(cluster, ctx);
  };
}

function condition(cluster: ClusterView, type: string): boolean | null {
  const found = cluster.conditions.find((c) => c.type === type);
  return found ? found.status === 'True' : null;
}

/** Desired worker machines: the Cluster's summary, else the sum over its MachineDeployments and MachinePools. */
function desiredWorkers(cluster: ClusterView, ctx: StepContext): number {
  if (cluster.workersStatus.desired !== null) return cluster.workersStatus.desired;
  const pools = [
    ...(membersOf(ctx.cache, coreKinds.MachineDeployment, cluster.address) as MachineDeploymentView[]),
    ...(membersOf(ctx.cache, coreKinds.MachinePool, cluster.address) as MachinePoolView[]),
  ];
  return pools.reduce((sum, p) => sum + (p.desired ?? 0), 0);
}

/**
 * Whether `<cluster>-kubeconfig` exists, asked for its metadata only: the Secret's data (admin
 * credentials) never reaches the gateway. Asked at most once a second per operation.
 */
const kubeconfigSeen = new Map<string, { at: number; outcome: StepOutcome }>();

async function kubeconfigExists(cluster: ClusterView, ctx: StepContext): Promise<StepOutcome> {
  const key = `${ctx.operation.address.managementCluster}/${ctx.operation.uid}`;
  const memo = kubeconfigSeen.get(key);
  if (memo && performance.now() - memo.at < 1000) return memo.outcome;
  const name = `${cluster.address.name}-kubeconfig`;
  // The gateway's own check of CAPI's progress, not a change for the user: its identity (a user
  // may create clusters without being allowed to read their credentials).
  const read = await ctx.cache.connection.writer.readMetadata(secrets, {
    namespace: cluster.address.namespace,
    name,
  });
  const outcome = read.ok
    ? done()
    : read.error.code === 'NOT_FOUND'
      ? waiting(`waiting for Secret ${name}`)
      : waiting(`cannot tell whether Secret ${name} exists: ${read.error.message}`);
  if (outcome.state === 'done') kubeconfigSeen.delete(key);
  else kubeconfigSeen.set(key, { at: performance.now(), outcome });
  return outcome;
}

/**
 * Creating a Cluster: the gateway applies the manifests (in the resolver); CAPI does the rest,
 * and each step follows what it reports.
 */
export const createClusterOperation: OperationType = {
  name: 'CreateCluster',
  steps: () => [
    {
      name: 'manifests applied',
      check: (ctx) => (clusterOf(ctx) ? done() : waiting('waiting for the Cluster to appear')),
    },
    {
      name: 'infrastructure provisioned',
      check: withCluster((c) =>
        c.infrastructureProvisioned
          ? done()
          : waiting('waiting for the InfrastructureCluster to be provisioned'),
      ),
    },
    {
      name: 'control plane initialised',
      check: withCluster((c) =>
        c.controlPlaneInitialized ? done() : waiting('waiting for the first control-plane machine'),
      ),
    },
    { name: 'kubeconfig Secret exists', check: withCluster(kubeconfigExists) },
    {
      name: 'control plane available',
      check: withCluster((c) => {
        const available = condition(c, 'ControlPlaneAvailable');
        const counters = c.controlPlaneStatus;
        const share =
          counters.desired && counters.available !== null ? counters.available / counters.desired : undefined;
        if (available === true) return done();
        if (available === null && counters.desired !== null && (counters.available ?? 0) >= counters.desired)
          return done();
        return waiting(
          `${counters.available ?? 0} of ${counters.desired ?? '?'} control-plane machines available`,
          share,
        );
      }),
    },
    {
      name: 'all workers running',
      check: withCluster((c, ctx) => {
        const desired = desiredWorkers(c, ctx);
        const machines = (membersOf(ctx.cache, coreKinds.Machine, c.address) as MachineView[]).filter(
          (m) => !isControlPlaneMachine(m),
        );
        const running = machines.filter((m) => m.phase === 'Running').length;
        if (running >= desired && machines.every((m) => m.phase === 'Running')) return done();
        return waiting(
          `${running} of ${desired} worker machines running`,
          desired ? running / desired : undefined,
        );
      }),
    },
  ],
};
