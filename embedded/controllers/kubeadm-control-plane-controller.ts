/**
 * The KubeadmControlPlane controller: the first machine initialises the control plane, the
 * others join one at a time while all are healthy; rollouts replace machines that no longer
 * match (version, machine template, `spec.rollout.after`) with maxSurge 1 (scale up first) or 0
 * (delete first); scale down prefers annotated, outdated, then oldest machines; it writes the
 * kubeconfig Secret and the status counters, `version` (the lowest among machines) and
 * conditions.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterInfrastructureProvisioned, isPaused } from './cluster-lookup.ts';
import type { ConditionInput } from './conditions.ts';
import { findCondition, isConditionTrue } from './conditions.ts';
import {
  type EngineContext,
  addFinalizer,
  deleteObject,
  now,
  ownerOfKind,
  removeFinalizer,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import {
  deleteKubeconfigSecret,
  ensureCertificateSecrets,
  ensureKubeconfigSecret,
} from './kubeconfig-secret.ts';
import { lowestVersion } from './kubernetes-version.ts';
import { ANNOTATIONS, FINALIZERS, LABELS } from './labels.ts';
import { setControlPlaneLegacyStatus } from './legacy-status.ts';
import {
  type MachineBlueprint,
  createMachine,
  createMachineChildren,
  machineChildrenMissing,
  readObjectRef,
} from './machine-factory.ts';
import { ownedMachines } from './machine-set-controller.ts';
import { controlPlaneMachineIsUpToDate, untilRolloutAfter } from './machine-up-to-date.ts';
import { randomSuffix } from './naming.ts';
import { type Phase, type PhaseOutcome, runPhases, stop } from './phases.ts';
import {
  type JsonRecord,
  field,
  numberField,
  recordField,
  stringField,
  stringMapField,
} from './object-fields.ts';
import { countMachines, setVersions } from './replica-status.ts';
import { TYPES } from './resource-types.ts';
import { ensureTemplateOwnedByCluster } from './template-ownership.ts';
import type { ReconcileResult } from './work-queue.ts';
import { pausedCondition } from './condition-builders/common.ts';
import { controlPlaneConditions } from './condition-builders/control-plane.ts';

const CONTROL_PLANE_READINESS_GATES = [
  'NodeKubeadmLabelsAndTaintsSet',
  'APIServerPodHealthy',
  'ControllerManagerPodHealthy',
  'SchedulerPodHealthy',
  'EtcdPodHealthy',
  'EtcdMemberHealthy',
];
/** KCP's pre-terminate hook: it removes the etcd member before the machine goes. */
const KCP_CLEANUP_HOOK = 'pre-terminate.delete.hook.machine.cluster.x-k8s.io/kcp-cleanup';

function configSpecFor(kcp: KubeObject, init: boolean): JsonRecord {
  const spec = structuredClone(recordField(kcp, 'spec.kubeadmConfigSpec') ?? {});
  if (init) {
    delete spec.joinConfiguration;
    spec.initConfiguration ??= {};
  } else {
    delete spec.initConfiguration;
    delete spec.clusterConfiguration;
    spec.joinConfiguration ??= {};
  }
  return spec;
}

function blueprintFor(
  kcp: KubeObject,
  clusterName: string,
  init: boolean,
  name: string,
): MachineBlueprint | undefined {
  const infrastructureTemplate = readObjectRef(kcp, 'spec.machineTemplate.spec.infrastructureRef');
  if (!infrastructureTemplate) return undefined;
  const templateSpec = recordField(kcp, 'spec.machineTemplate.spec') ?? {};
  const spec: JsonRecord = {};
  for (const key of ['deletion', 'readinessGates', 'taints'])
    if (templateSpec[key] !== undefined) spec[key] = templateSpec[key];
  // KCP gates control-plane machines' readiness on their control-plane components.
  const gates = Array.isArray(spec.readinessGates) ? spec.readinessGates : [];
  spec.readinessGates = [
    ...gates,
    ...CONTROL_PLANE_READINESS_GATES.map((conditionType) => ({ conditionType })),
  ];
  const annotations = {
    ...stringMapField(kcp, 'spec.machineTemplate.metadata.annotations'),
    [KCP_CLEANUP_HOOK]: '',
  };
  return {
    namespace: kcp.metadata.namespace ?? 'default',
    name,
    clusterName,
    version: stringField(kcp, 'spec.version'),
    labels: {
      ...stringMapField(kcp, 'spec.machineTemplate.metadata.labels'),
      [LABELS.clusterName]: clusterName,
      [LABELS.controlPlane]: '',
      [LABELS.controlPlaneName]: kcp.metadata.name ?? '',
    },
    annotations,
    owner: kcp,
    infrastructureTemplate,
    bootstrap: { kubeadmConfigSpec: configSpecFor(kcp, init) },
    spec,
  };
}

function oldestFirst(machines: KubeObject[]): KubeObject[] {
  return [...machines].sort(
    (a, b) =>
      (Date.parse(a.metadata.creationTimestamp ?? '') || 0) -
        (Date.parse(b.metadata.creationTimestamp ?? '') || 0) ||
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
}

function pickForScaleDown(machines: KubeObject[], outdated: Set<KubeObject>): KubeObject | undefined {
  const annotated = machines.find((m) => m.metadata.annotations?.[ANNOTATIONS.deleteMachine] !== undefined);
  if (annotated) return annotated;
  return oldestFirst(machines.filter((m) => outdated.has(m)))[0] ?? oldestFirst(machines)[0];
}

async function reconcileDelete(
  ctx: EngineContext,
  kcp: KubeObject,
  cluster: KubeObject | undefined,
  machines: KubeObject[],
): Promise<ReconcileResult> {
  const namespace = kcp.metadata.namespace;
  const clusterName = cluster?.metadata.name ?? kcp.metadata.labels?.[LABELS.clusterName];
  // Workers go first: the control plane waits until no worker machine is left.
  const workers = clusterName
    ? ctx.cache
        .informer(TYPES.machine)
        .byCluster(namespace, clusterName)
        .filter((m) => m.metadata.labels?.[LABELS.controlPlane] === undefined)
    : [];
  const deployments = clusterName
    ? ctx.cache.informer(TYPES.machineDeployment).byCluster(namespace, clusterName)
    : [];
  await updateStatus(ctx, TYPES.kubeadmControlPlane, kcp, (status) =>
    setConditions(
      ctx,
      status,
      [
        {
          type: 'Deleting',
          status: true,
          reason:
            workers.length + deployments.length > 0
              ? 'WaitingForWorkersDeletion'
              : 'WaitingForMachineDeletion',
          message:
            workers.length + deployments.length > 0
              ? 'Waiting for worker machines to be deleted'
              : `Deleting ${machines.length} Machines`,
        },
      ],
      kcp.metadata.generation,
    ),
  );
  if (workers.length > 0 || deployments.length > 0) return { requeueAfterMs: 500 };
  for (const machine of machines) await deleteObject(ctx, TYPES.machine, machine);
  if (machines.length > 0) return { requeueAfterMs: 500 };
  if (cluster) await deleteKubeconfigSecret(ctx, cluster, kcp);
  await updateObject(ctx, TYPES.kubeadmControlPlane, kcp, (copy) => removeFinalizer(copy, FINALIZERS.kcp));
}

/** What the phases of one KubeadmControlPlane reconcile share. */
interface KcpScope {
  ctx: EngineContext;
  kcp: KubeObject;
  cluster: KubeObject | undefined;
  /** Every machine the control plane owns, deleting ones included. */
  machines: KubeObject[];
  desired: number;
  initialized: boolean;
  /** Conditions the phases found (waiting for the endpoint, a machine that could not be created). */
  extra: ConditionInput[];
  remediation?: JsonRecord;
  certificatesReady: boolean;
  /** The cluster's infrastructure is up and its control plane endpoint set: machines may be made. */
  endpoint?: string;
}

const clusterName = (s: KcpScope): string => s.cluster?.metadata.name ?? '';

async function reconcilePaused(s: KcpScope): Promise<PhaseOutcome | void> {
  if (!isPaused(s.cluster, s.kcp)) return;
  await updateStatus(s.ctx, TYPES.kubeadmControlPlane, s.kcp, (status) =>
    setConditions(s.ctx, status, [pausedCondition(true)], s.kcp.metadata.generation),
  );
  return stop();
}

async function reconcileDeleting(s: KcpScope): Promise<PhaseOutcome | void> {
  if (!s.kcp.metadata.deletionTimestamp) return;
  const result = await reconcileDelete(s.ctx, s.kcp, s.cluster, s.machines);
  return stop(result?.requeueAfterMs ?? undefined);
}

/** Waits for the Cluster controller to set the owner reference. */
async function reconcileOwnerCluster(s: KcpScope): Promise<PhaseOutcome | void> {
  if (!s.cluster) return stop();
}

async function reconcileMetadata(s: KcpScope): Promise<PhaseOutcome | void> {
  const written = await updateObject(s.ctx, TYPES.kubeadmControlPlane, s.kcp, (copy) => {
    addFinalizer(copy, FINALIZERS.kcp);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName(s) };
  });
  if (written && !written.ok) return stop(100);
  if (written?.ok) s.kcp = written.value;
  await ensureTemplateOwnedByCluster(
    s.ctx,
    s.kcp,
    'spec.machineTemplate.spec.infrastructureRef',
    s.cluster as KubeObject,
  );
}

/** The certificates and the kubeconfig Secret, once the control plane endpoint is known. */
async function reconcileCertificates(s: KcpScope): Promise<PhaseOutcome | void> {
  const host = stringField(s.cluster, 'spec.controlPlaneEndpoint.host');
  const port = numberField(s.cluster, 'spec.controlPlaneEndpoint.port') ?? 6443;
  if (!clusterInfrastructureProvisioned(s.cluster) || !host) {
    s.extra.push({
      type: 'Initialized',
      status: false,
      reason: 'NotInitialized',
      message: 'Waiting for the cluster infrastructure and control plane endpoint',
    });
    return;
  }
  s.endpoint = `https://${host}:${port}`;
  s.certificatesReady = await ensureCertificateSecrets(s.ctx, s.cluster as KubeObject, s.kcp);
  const kubeconfigOk =
    s.certificatesReady && (await ensureKubeconfigSecret(s.ctx, s.cluster as KubeObject, s.kcp, s.endpoint));
  if (!kubeconfigOk) return { requeueAfterMs: 1_000 };
}

/** One machine step: repair a machine's missing children, remediate, create, roll out, scale down. */
async function reconcileMachineStep(s: KcpScope): Promise<PhaseOutcome | void> {
  if (!s.endpoint) return;
  const active = s.machines.filter((m) => !m.metadata.deletionTimestamp);
  const action = await reconcileMachines(
    s.ctx,
    s.kcp,
    clusterName(s),
    active,
    s.machines.length - active.length,
    s.desired,
    s.initialized,
  );
  s.remediation = action.remediation;
  if (action.problem)
    s.extra.push({
      type: 'ScalingUp',
      status: true,
      reason: action.problem.reason,
      message: action.problem.message,
    });
  if (action.requeueAfterMs !== undefined) return { requeueAfterMs: action.requeueAfterMs };
}

/** Counters, version, selector, v1beta2 conditions and the deprecated v1beta1 status. */
async function reconcileStatus(s: KcpScope): Promise<PhaseOutcome | void> {
  const { ctx, kcp, desired, initialized } = s;
  const current = ownedMachines(ctx, kcp);
  const counts = countMachines(current);
  const outdated = current.filter((m) => !controlPlaneMachineIsUpToDate(ctx, kcp, m)).length;
  const result = await updateStatus(ctx, TYPES.kubeadmControlPlane, kcp, (status) => {
    status.replicas = counts.replicas;
    status.readyReplicas = counts.readyReplicas;
    status.availableReplicas = counts.availableReplicas;
    status.upToDateReplicas = counts.upToDateReplicas;
    setVersions(status, counts.versions);
    const version = lowestVersion(current.map((m) => stringField(m, 'spec.version') ?? '').filter(Boolean));
    if (version) status.version = version;
    status.selector = `${LABELS.clusterName}=${clusterName(s)},${LABELS.controlPlane}`;
    status.initialization = { controlPlaneInitialized: initialized };
    status.observedGeneration = kcp.metadata.generation;
    if (s.remediation) status.lastRemediation = s.remediation;
    setConditions(
      ctx,
      status,
      [
        ...controlPlaneConditions({
          counts,
          desired,
          outdated,
          initialized,
          certificatesReady: s.certificatesReady,
          remediation: s.remediation,
        }),
        ...s.extra,
      ],
      kcp.metadata.generation,
    );
    setControlPlaneLegacyStatus(kcp, status, {
      machines: current,
      desired,
      upToDate: current.length - outdated,
      outdated,
      initialized,
      certificatesReady: s.certificatesReady,
      now: now(ctx),
    });
  });
  if (result && !result.ok) return stop(100);
}

/** A future spec.rollout.after: reconcile again at that moment, when the rollout starts. */
async function requeueForRolloutAfter(s: KcpScope): Promise<PhaseOutcome | void> {
  const wait = untilRolloutAfter(s.kcp, s.ctx.clock.now());
  if (wait !== undefined) return { requeueAfterMs: wait };
}

const KCP_PHASES: Array<Phase<KcpScope>> = [
  reconcilePaused,
  reconcileDeleting,
  reconcileOwnerCluster,
  reconcileMetadata,
  reconcileCertificates,
  reconcileMachineStep,
  reconcileStatus,
  requeueForRolloutAfter,
];

export async function reconcileKubeadmControlPlane(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const kcp = ctx.cache.informer(TYPES.kubeadmControlPlane).get(namespace, name);
  if (!kcp) return;
  const clusterRef = ownerOfKind(kcp, 'Cluster');
  const cluster = clusterRef ? ctx.cache.informer(TYPES.cluster).get(namespace, clusterRef.name) : undefined;
  const machines = ownedMachines(ctx, kcp);
  const initialized =
    field(kcp, 'status.initialization.controlPlaneInitialized') === true ||
    machines.some((m) => !m.metadata.deletionTimestamp && recordField(m, 'status.nodeRef') !== undefined);
  return runPhases<KcpScope>(
    {
      ctx,
      kcp,
      cluster,
      machines,
      desired: numberField(kcp, 'spec.replicas') ?? 1,
      initialized,
      extra: [],
      certificatesReady: false,
    },
    KCP_PHASES,
  );
}

interface MachinesAction {
  problem?: { reason: string; message: string };
  remediation?: JsonRecord;
  requeueAfterMs?: number;
}

/** One step per reconcile, as KCP does: create, delete or wait. */
async function reconcileMachines(
  ctx: EngineContext,
  kcp: KubeObject,
  clusterName: string,
  active: KubeObject[],
  deleting: number,
  desired: number,
  initialized: boolean,
): Promise<MachinesAction> {
  const create = async (init: boolean): Promise<MachinesAction> => {
    const blueprint = blueprintFor(kcp, clusterName, init, `${kcp.metadata.name}-${randomSuffix()}`);
    if (!blueprint)
      return {
        problem: {
          reason: 'InvalidMachineTemplate',
          message: 'spec.machineTemplate.spec.infrastructureRef is not set',
        },
      };
    const result = await createMachine(ctx, blueprint);
    return result.ok ? {} : { problem: result, requeueAfterMs: result.retryMs };
  };
  for (const machine of active) {
    if (stringField(machine, 'status.phase') && stringField(machine, 'status.phase') !== 'Pending') continue;
    if (!machineChildrenMissing(ctx, machine)) continue;
    const init = machine === oldestFirst(active)[0] && !initialized;
    const blueprint = blueprintFor(kcp, clusterName, init, machine.metadata.name ?? '');
    if (blueprint) await createMachineChildren(ctx, machine, blueprint);
  }
  if (deleting > 0) return { requeueAfterMs: 250 };
  // Remediation: a machine its health check gave up on is deleted (never the last one once initialised).
  const unhealthy = active.find((m) => findCondition(m.status, 'OwnerRemediated')?.status === 'False');
  if (unhealthy && (active.length > 1 || !initialized)) {
    await deleteObject(ctx, TYPES.machine, unhealthy);
    const previous = recordField(kcp, 'status.lastRemediation');
    return {
      remediation: {
        machine: unhealthy.metadata.name,
        time: now(ctx),
        retryCount: previous?.machine === unhealthy.metadata.name ? Number(previous?.retryCount ?? 0) + 1 : 0,
      },
    };
  }
  if (active.length === 0) return create(true);
  if (!initialized) return {};
  const allReady = active.every((m) => isConditionTrue(m.status, 'Ready'));
  const outdated = new Set(active.filter((m) => !controlPlaneMachineIsUpToDate(ctx, kcp, m)));
  const maxSurge = Number(field(kcp, 'spec.rollout.strategy.rollingUpdate.maxSurge') ?? 1) === 0 ? 0 : 1;
  if (outdated.size > 0) {
    if (!allReady) return {};
    if (active.length < desired + maxSurge) return create(false);
    const victim = pickForScaleDown([...outdated], outdated);
    if (victim) await deleteObject(ctx, TYPES.machine, victim);
    return {};
  }
  if (active.length < desired) return allReady ? create(false) : {};
  if (active.length > desired && allReady) {
    const victim = pickForScaleDown(active, outdated);
    if (victim) await deleteObject(ctx, TYPES.machine, victim);
  }
  return {};
}
