/**
 * The UpgradeCluster operation. Its steps are the plan made when it was requested (kept in
 * its input, so a resumed driver finds the same steps by name):
 *
 * - topology clusters: `topology-version` sets `spec.topology.version`; CAPI orchestrates and
 *   the following steps only watch it happen (each control-plane minor, then each pool),
 *   reporting the TopologyReconciled reason while CAPI holds something back;
 * - plain clusters: the gateway orchestrates. Each control-plane step writes that minor's
 *   version to the control plane and waits until every control-plane machine runs it and it
 *   is Available; each pool step writes the target to its pool (and to the next pools, up to
 *   the configured concurrency) and waits until its machines run it. A pool is only written
 *   once the control plane runs the target: workers are never newer than the control plane.
 *
 * Every write is idempotent and never lowers a version, so a driver that dies between a
 * write and recording it writes the same again after taking over.
 */
import { CAPI_GROUP } from '../capi/kinds.ts';
import type {
  ClusterView,
  ConditionView,
  ControlPlaneView,
  MachineDeploymentView,
  MachinePoolView,
  ObjectAddress,
} from '../capi/views.ts';
import type { Result } from '../k8s/domain-error.ts';
import {
  addressFromInput,
  clusterSnapshot,
  current,
  machinesOf,
  readerOf,
  writesFor,
} from './day2-step-context.ts';
import { compareVersions, parseKubernetesVersion } from './kubernetes-version.ts';
import { FIELD_MANAGER, requireTarget } from './management-cluster-writes.ts';
import type { OperationRecord } from './operations/operation-record.ts';
import {
  done,
  failed,
  waiting,
  type OperationStep,
  type OperationType,
  type StepContext,
  type StepOutcome,
} from './operations/operation-type.ts';
import type { UpgradePlan, UpgradeStepKind } from './plan-upgrade.ts';
import { controlPlaneRolledOut, workerPoolRolledOut } from './rollout-state.ts';

export const UPGRADE_CLUSTER = 'UpgradeCluster';

export interface UpgradeStepInput {
  name: string;
  kind: UpgradeStepKind;
  target: ObjectAddress;
  toVersion: string;
}

export interface UpgradeInput {
  version: string;
  topology: boolean;
  /** Plain clusters: worker pools written at once. */
  concurrency: number;
  clusterUid: string;
  steps: UpgradeStepInput[];
}

/** The operation input for a plan (only the parts a resumed driver needs). */
export function upgradeInput(plan: UpgradePlan, clusterUid: string, concurrency: number): UpgradeInput {
  return {
    version: plan.targetVersion,
    topology: plan.topology,
    concurrency,
    clusterUid,
    steps: plan.steps.map((s) => ({ name: s.name, kind: s.kind, target: s.target, toVersion: s.toVersion })),
  };
}

function inputOf(operation: OperationRecord): UpgradeInput {
  const input = operation.input as Partial<UpgradeInput>;
  const steps = Array.isArray(input.steps) ? input.steps : [];
  return {
    version: typeof input.version === 'string' ? input.version : '',
    topology: input.topology === true,
    concurrency: typeof input.concurrency === 'number' && input.concurrency >= 1 ? input.concurrency : 1,
    clusterUid: typeof input.clusterUid === 'string' ? input.clusterUid : '',
    steps: steps.flatMap((s) => {
      const target = addressFromInput((s as { target?: unknown }).target);
      return target && typeof s.name === 'string' && typeof s.toVersion === 'string'
        ? [{ name: s.name, kind: s.kind, target, toVersion: s.toVersion }]
        : [];
    }),
  };
}

async function clusterOf(ctx: StepContext): Promise<ClusterView | null> {
  if (!ctx.operation.target) return null;
  return current<ClusterView>(ctx, ctx.operation.target, inputOf(ctx.operation).clusterUid);
}

/** Why the cluster cannot make progress now (gone, paused), as a step outcome; null when it can. */
function clusterOutcome(cluster: ClusterView | null): StepOutcome | null {
  if (!cluster) return failed('the cluster no longer exists');
  if (cluster.paused)
    return waiting(`Cluster ${cluster.address.name} is paused: the upgrade continues when it is resumed`);
  return null;
}

function topologyReason(cluster: ClusterView): string {
  const c: ConditionView | undefined = cluster.conditions.find((x) => x.type === 'TopologyReconciled');
  if (!c || c.status === 'True') return '';
  return ` (TopologyReconciled: ${c.reason ?? ''}${c.message ? ` — ${c.message}` : ''})`;
}

const notLower = (current: string | null, wanted: string): boolean => {
  const have = current ? parseKubernetesVersion(current) : null;
  const want = parseKubernetesVersion(wanted);
  return have !== null && want !== null && compareVersions(have, want) >= 0;
};

/** Writes a version at `path` (merge patch) unless the object already asks for it or newer. */
async function writeVersion(
  ctx: StepContext,
  address: ObjectAddress,
  version: string,
  spec: (version: string) => Record<string, unknown>,
  currentVersion: (object: Record<string, unknown>) => string | null,
): Promise<Result<void>> {
  const writes = writesFor(ctx);
  const target = requireTarget(writes, address);
  if (!target.ok) return target;
  const key = { namespace: address.namespace, name: address.name };
  const object = await writes.writer.read(target.value, key);
  if (!object.ok) return object;
  if (notLower(currentVersion(object.value), version)) return { ok: true, value: undefined };
  const patched = await writes.writer.mergePatch(
    target.value,
    key,
    { spec: spec(version) },
    {
      resourceVersion: object.value.metadata.resourceVersion,
      fieldManager: FIELD_MANAGER,
    },
  );
  return patched.ok ? { ok: true, value: undefined } : patched;
}

const specAt = (object: Record<string, unknown>, ...path: string[]): string | null => {
  const value = path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], object);
  return typeof value === 'string' ? value : null;
};

function topologyVersionStep(input: UpgradeInput): OperationStep {
  return {
    name: 'topology-version',
    act: async (ctx) => {
      const cluster = ctx.operation.target;
      if (!cluster)
        return { ok: false, error: { code: 'NOT_FOUND', message: 'the operation names no cluster' } };
      return writeVersion(
        ctx,
        { ...cluster, group: CAPI_GROUP, kind: 'Cluster' },
        input.version,
        (version) => ({ topology: { version } }),
        (o) => specAt(o, 'spec', 'topology', 'version'),
      );
    },
    async check(ctx) {
      const cluster = await clusterOf(ctx);
      if (!cluster) return failed('the cluster no longer exists');
      return notLower(cluster.topology?.version ?? null, input.version)
        ? done(`spec.topology.version is ${cluster.topology?.version ?? ''}`)
        : waiting(`waiting for spec.topology.version to read ${input.version}`);
    },
  };
}

function controlPlaneStep(input: UpgradeInput, step: UpgradeStepInput): OperationStep {
  return {
    name: step.name,
    ...(input.topology
      ? {}
      : {
          act: (ctx: StepContext) =>
            writeVersion(
              ctx,
              step.target,
              step.toVersion,
              (version) => ({ version }),
              (o) => specAt(o, 'spec', 'version'),
            ),
        }),
    async check(ctx) {
      const cluster = await clusterOf(ctx);
      const blocked = clusterOutcome(cluster);
      if (blocked) return blocked;
      const cp = await current<ControlPlaneView>(ctx, step.target);
      if (!cp) return failed(`${step.target.kind} ${step.target.name} no longer exists`);
      const machines = await machinesOf(readerOf(ctx), cp);
      const rolled = controlPlaneRolledOut(cp, machines, step.toVersion);
      if (rolled.done)
        return done(
          `every control-plane machine runs ${step.toVersion} or newer; the control plane is Available`,
        );
      const upgraded = machines.filter((m) => notLower(m.version, step.toVersion)).length;
      const desired = cp.desired ?? machines.length;
      return waiting(
        `waiting for ${rolled.waitingFor}${input.topology ? topologyReason(cluster!) : ''}`,
        desired === 0 ? 0 : Math.min(upgraded, desired) / desired,
      );
    },
  };
}

/** The pool steps this step's action starts: itself and the next ones, up to the concurrency. */
export function batchOf(input: UpgradeInput, step: UpgradeStepInput): UpgradeStepInput[] {
  const pools = input.steps.filter((s) => s.kind !== 'ControlPlane');
  const at = pools.findIndex((s) => s.name === step.name);
  return pools.slice(at, at + input.concurrency);
}

function poolStep(input: UpgradeInput, step: UpgradeStepInput): OperationStep {
  return {
    name: step.name,
    ...(input.topology
      ? {}
      : {
          act: async (ctx: StepContext): Promise<Result<void>> => {
            // Never let a worker get ahead of the control plane.
            const snapshot = ctx.operation.target ? await clusterSnapshot(ctx, ctx.operation.target) : null;
            if (!snapshot)
              return { ok: false, error: { code: 'NOT_FOUND', message: 'the cluster no longer exists' } };
            const cp = controlPlaneRolledOut(
              snapshot.controlPlane,
              snapshot.controlPlaneMachines,
              input.version,
            );
            if (!cp.done)
              return {
                ok: false,
                error: {
                  code: 'CONFLICT',
                  message: `the control plane does not run ${input.version} yet (${cp.waitingFor})`,
                },
              };
            for (const pool of batchOf(input, step)) {
              const written = await writeVersion(
                ctx,
                pool.target,
                pool.toVersion,
                (version) => ({ template: { spec: { version } } }),
                (o) => specAt(o, 'spec', 'template', 'spec', 'version'),
              );
              // A pool of the batch removed meanwhile is its own step's failure, not this one's.
              if (!written.ok && !(pool !== step && written.error.code === 'NOT_FOUND')) return written;
            }
            return { ok: true, value: undefined };
          },
        }),
    async check(ctx) {
      const cluster = await clusterOf(ctx);
      const blocked = clusterOutcome(cluster);
      if (blocked) return blocked;
      const pool = await current<MachineDeploymentView | MachinePoolView>(ctx, step.target);
      if (!pool) return failed(`${step.target.kind} ${step.target.name} no longer exists`);
      const machines = await machinesOf(readerOf(ctx), pool);
      const rolled = workerPoolRolledOut(pool, machines, step.toVersion);
      if (rolled.done) return done(`every machine of ${pool.address.name} runs ${step.toVersion}`);
      const upgraded = machines.filter((m) => notLower(m.version, step.toVersion)).length;
      const desired = pool.desired ?? machines.length;
      return waiting(
        `waiting for ${rolled.waitingFor}${input.topology ? topologyReason(cluster!) : ''}`,
        desired === 0 ? 0 : Math.min(upgraded, desired) / desired,
      );
    },
  };
}

export const upgradeOperation: OperationType = {
  name: UPGRADE_CLUSTER,
  steps(operation) {
    const input = inputOf(operation);
    return [
      ...(input.topology ? [topologyVersionStep(input)] : []),
      ...input.steps.map((s) =>
        s.kind === 'ControlPlane' ? controlPlaneStep(input, s) : poolStep(input, s),
      ),
    ];
  },
};
