/**
 * The KubeadmControlPlane controller: the first machine initialises the control plane, the
 * others join one at a time while all are healthy; rollouts replace machines that no longer
 * match (version, machine template, `spec.rollout.after`) with maxSurge 1 (scale up first) or 0
 * (delete first); scale down prefers annotated, outdated, then oldest machines; it writes the
 * kubeconfig Secret and the status counters, `version` (the lowest among machines) and
 * conditions.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterInfrastructureProvisioned, isPaused, pausedCondition } from './cluster-lookup.ts';
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

export async function reconcileKubeadmControlPlane(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  let kcp = ctx.cache.informer(TYPES.kubeadmControlPlane).get(namespace, name);
  if (!kcp) return;
  const clusterRef = ownerOfKind(kcp, 'Cluster');
  const cluster = clusterRef ? ctx.cache.informer(TYPES.cluster).get(namespace, clusterRef.name) : undefined;
  if (isPaused(cluster, kcp)) {
    await updateStatus(ctx, TYPES.kubeadmControlPlane, kcp, (status) =>
      setConditions(ctx, status, [pausedCondition(true)], kcp?.metadata.generation),
    );
    return;
  }
  const machines = ownedMachines(ctx, kcp);
  if (kcp.metadata.deletionTimestamp) return reconcileDelete(ctx, kcp, cluster, machines);
  if (!cluster) return; // waits for the Cluster controller to set the owner reference
  const clusterName = cluster.metadata.name ?? '';

  const written = await updateObject(ctx, TYPES.kubeadmControlPlane, kcp, (copy) => {
    addFinalizer(copy, FINALIZERS.kcp);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
  });
  if (written && !written.ok) return { requeueAfterMs: 100 };
  if (written?.ok) kcp = written.value;
  await ensureTemplateOwnedByCluster(ctx, kcp, 'spec.machineTemplate.spec.infrastructureRef', cluster);

  const desired = numberField(kcp, 'spec.replicas') ?? 1;
  const extra: ConditionInput[] = [];
  let requeueAfterMs: number | undefined;
  const host = stringField(cluster, 'spec.controlPlaneEndpoint.host');
  const port = numberField(cluster, 'spec.controlPlaneEndpoint.port') ?? 6443;
  const active = machines.filter((m) => !m.metadata.deletionTimestamp);
  const initialized =
    field(kcp, 'status.initialization.controlPlaneInitialized') === true ||
    active.some((m) => recordField(m, 'status.nodeRef') !== undefined);
  let remediation: JsonRecord | undefined;
  let certificatesReady = false;

  if (!clusterInfrastructureProvisioned(cluster) || !host) {
    extra.push({
      type: 'Initialized',
      status: false,
      reason: 'NotInitialized',
      message: 'Waiting for the cluster infrastructure and control plane endpoint',
    });
  } else {
    certificatesReady = await ensureCertificateSecrets(ctx, cluster, kcp);
    const kubeconfigOk =
      certificatesReady && (await ensureKubeconfigSecret(ctx, cluster, kcp, `https://${host}:${port}`));
    if (!kubeconfigOk) requeueAfterMs = 1_000;
    const action = await reconcileMachines(
      ctx,
      kcp,
      clusterName,
      active,
      machines.length - active.length,
      desired,
      initialized,
    );
    remediation = action.remediation;
    if (action.problem)
      extra.push({
        type: 'ScalingUp',
        status: true,
        reason: action.problem.reason,
        message: action.problem.message,
      });
    if (action.requeueAfterMs !== undefined)
      requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, action.requeueAfterMs);
  }

  const current = ownedMachines(ctx, kcp);
  const counts = countMachines(current);
  const outdated = current.filter((m) => !controlPlaneMachineIsUpToDate(ctx, kcp as KubeObject, m)).length;
  const allReady = counts.replicas > 0 && counts.readyReplicas === counts.replicas;
  const kcpNow = kcp;
  const result = await updateStatus(ctx, TYPES.kubeadmControlPlane, kcpNow, (status) => {
    status.replicas = counts.replicas;
    status.readyReplicas = counts.readyReplicas;
    status.availableReplicas = counts.availableReplicas;
    status.upToDateReplicas = counts.upToDateReplicas;
    setVersions(status, counts.versions);
    const version = lowestVersion(current.map((m) => stringField(m, 'spec.version') ?? '').filter(Boolean));
    if (version) status.version = version;
    status.selector = `${LABELS.clusterName}=${clusterName},${LABELS.controlPlane}`;
    status.initialization = { controlPlaneInitialized: initialized };
    status.observedGeneration = kcpNow.metadata.generation;
    if (remediation) status.lastRemediation = remediation;
    setConditions(
      ctx,
      status,
      [
        initialized
          ? { type: 'Initialized', status: true, reason: 'Initialized' }
          : {
              type: 'Initialized',
              status: false,
              reason: 'NotInitialized',
              message: 'Control plane not yet initialized',
            },
        initialized && counts.readyReplicas > 0
          ? { type: 'Available', status: true, reason: 'Available' }
          : {
              type: 'Available',
              status: false,
              reason: 'NotAvailable',
              message: 'Waiting for a ready control plane machine',
            },
        ...(certificatesReady ? [{ type: 'CertificatesAvailable', status: true, reason: 'Available' }] : []),
        allReady
          ? { type: 'EtcdClusterHealthy', status: true, reason: 'Healthy' }
          : {
              type: 'EtcdClusterHealthy',
              status: 'Unknown',
              reason: 'InspectionFailed',
              message: 'Waiting for etcd members',
            },
        allReady
          ? { type: 'ControlPlaneComponentsHealthy', status: true, reason: 'Healthy' }
          : {
              type: 'ControlPlaneComponentsHealthy',
              status: 'Unknown',
              reason: 'InspectionFailed',
              message: 'Waiting for control plane components',
            },
        counts.replicas === 0
          ? { type: 'MachinesReady', status: true, reason: 'NoReplicas' }
          : allReady
            ? { type: 'MachinesReady', status: true, reason: 'Ready' }
            : {
                type: 'MachinesReady',
                status: false,
                reason: 'NotReady',
                message: `${counts.replicas - counts.readyReplicas} Machines are not ready`,
              },
        outdated === 0
          ? { type: 'MachinesUpToDate', status: true, reason: 'UpToDate' }
          : {
              type: 'MachinesUpToDate',
              status: false,
              reason: 'NotUpToDate',
              message: `${outdated} Machines are not up-to-date`,
            },
        outdated > 0
          ? {
              type: 'RollingOut',
              status: true,
              reason: 'RollingOut',
              message: `Rolling out ${outdated} not up-to-date replicas`,
            }
          : { type: 'RollingOut', status: false, reason: 'NotRollingOut' },
        counts.replicas < desired
          ? {
              type: 'ScalingUp',
              status: true,
              reason: 'ScalingUp',
              message: `Scaling up from ${counts.replicas} to ${desired} replicas`,
            }
          : { type: 'ScalingUp', status: false, reason: 'NotScalingUp' },
        counts.replicas > desired && outdated === 0
          ? {
              type: 'ScalingDown',
              status: true,
              reason: 'ScalingDown',
              message: `Scaling down from ${counts.replicas} to ${desired} replicas`,
            }
          : { type: 'ScalingDown', status: false, reason: 'NotScalingDown' },
        remediation
          ? {
              type: 'Remediating',
              status: true,
              reason: 'Remediating',
              message: `Remediating ${String(remediation.machine)}`,
            }
          : { type: 'Remediating', status: false, reason: 'NotRemediating' },
        { type: 'Deleting', status: false, reason: 'NotDeleting' },
        pausedCondition(false),
        ...extra,
      ],
      kcpNow.metadata.generation,
    );
    setControlPlaneLegacyStatus(kcpNow, status, {
      machines: current,
      desired,
      upToDate: current.length - outdated,
      outdated,
      initialized,
      certificatesReady,
      now: now(ctx),
    });
  });
  if (result && !result.ok) return { requeueAfterMs: 100 };
  // A future spec.rollout.after: reconcile again at that moment, when the rollout starts.
  const untilRollout = untilRolloutAfter(kcpNow, ctx.clock.now());
  if (untilRollout !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, untilRollout);
  return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
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
