/**
 * The part of CAPI's topology controller a ClusterClass-based Cluster needs here: the
 * InfraCluster, control plane and MachineDeployments (with per-cluster copies of the class's
 * templates), MachineHealthChecks from the class's `healthCheck` blocks, replica changes,
 * pools added and removed, and upgrades of `spec.topology.version` — control plane first, then
 * the MachineDeployments one at a time. ClusterClass patches are not applied (said so in the
 * TopologyReconciled condition).
 */
import type { KubeObject } from '../apiserver/admission.ts';
import type { ConditionInput } from './conditions.ts';
import { isConditionTrue } from './conditions.ts';
import {
  type EngineContext,
  apiGroupOf,
  createObject,
  deleteObject,
  ownerReference,
  updateObject,
} from './engine-context.ts';
import { compareKubernetesVersions, parseKubernetesVersion } from './kubernetes-version.ts';
import { LABELS } from './labels.ts';
import { stableSuffix } from './naming.ts';
import {
  type JsonRecord,
  arrayField,
  isRecord,
  numberField,
  recordField,
  stringField,
} from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import { ensureMachinePools } from './topology-machine-pools.ts';
import {
  type TemplateRef,
  Waiting,
  clonedFrom,
  readTemplate,
  templateRef,
  topologyLabels,
} from './topology-templates.ts';
import {
  topologyClassNotFound,
  topologyReconciledCondition,
  topologyWaitingCondition,
} from './condition-builders/topology.ts';

export interface TopologyOutcome {
  conditions: ConditionInput[];
  requeueAfterMs?: number;
}

/** Copies a class template for this cluster (CAPI keeps per-cluster template copies). */
async function ensureTemplateCopy(
  ctx: EngineContext,
  cluster: KubeObject,
  classNamespace: string,
  ref: TemplateRef,
  purpose: string,
): Promise<string> {
  const { object, type } = readTemplate(ctx, classNamespace, ref);
  const name = `${cluster.metadata.name}-${purpose}-${stableSuffix(`${cluster.metadata.uid}/${purpose}/${ref.kind}/${ref.name}`)}`;
  const existing = ctx.cache.informer(type).get(cluster.metadata.namespace, name);
  if (existing) return name;
  const copy: KubeObject = {
    apiVersion: `${type.group}/${type.version}`,
    kind: type.kind,
    metadata: {
      name,
      namespace: cluster.metadata.namespace,
      labels: topologyLabels(cluster),
      annotations: {
        'topology.cluster.x-k8s.io/cloned-from-name': ref.name,
        'topology.cluster.x-k8s.io/cloned-from-groupkind': `${ref.kind}.${type.group}`,
      },
      ownerReferences: [ownerReference(cluster, false)],
    },
    spec: structuredClone(recordField(object, 'spec') ?? {}),
  };
  const created = await createObject(ctx, type, copy);
  if (!created.ok && created.code !== 409)
    throw new Waiting('TopologyReconcileFailed', `Creating ${type.kind} ${name}: ${created.message}`, 1_000);
  return name;
}

async function setClusterRef(
  ctx: EngineContext,
  cluster: KubeObject,
  field: 'infrastructureRef' | 'controlPlaneRef',
  ref: JsonRecord,
): Promise<KubeObject> {
  const result = await updateObject(ctx, TYPES.cluster, cluster, (copy) => {
    (copy.spec as JsonRecord)[field] = ref;
  });
  if (result && !result.ok) throw new Waiting('Waiting', `Updating the Cluster: ${result.message}`, 100);
  return result?.ok ? result.value : cluster;
}

async function ensureInfraCluster(
  ctx: EngineContext,
  cluster: KubeObject,
  clusterClass: KubeObject,
): Promise<KubeObject> {
  if (recordField(cluster, 'spec.infrastructureRef')) return cluster;
  const ref = templateRef(clusterClass, 'spec.infrastructure.templateRef');
  if (!ref)
    throw new Waiting('TopologyReconcileFailed', 'The ClusterClass has no infrastructure template', 10_000);
  const { object: template } = readTemplate(ctx, clusterClass.metadata.namespace ?? '', ref);
  const group = apiGroupOf(ref.apiVersion);
  const kind = ctx.cache.resolve(group, ref.kind.replace(/Template$/, ''));
  if (!kind)
    throw new Waiting(
      'TemplateKindNotFound',
      `No CRD serves ${ref.kind.replace(/Template$/, '')}.${group}`,
      2_000,
    );
  const name = `${cluster.metadata.name}-${stableSuffix(`${cluster.metadata.uid}/infrastructure`)}`;
  const created = await createObject(ctx, kind.type, {
    apiVersion: `${kind.type.group}/${kind.type.version}`,
    kind: kind.type.kind,
    metadata: {
      name,
      namespace: cluster.metadata.namespace,
      labels: topologyLabels(cluster),
      annotations: clonedFrom(ref),
      ownerReferences: [ownerReference(cluster, true)],
    },
    spec: structuredClone(recordField(template, 'spec.template.spec') ?? {}),
  });
  if (!created.ok && created.code !== 409)
    throw new Waiting('TopologyReconcileFailed', `Creating ${kind.type.kind}: ${created.message}`, 1_000);
  return setClusterRef(ctx, cluster, 'infrastructureRef', {
    apiGroup: kind.type.group,
    kind: kind.type.kind,
    name,
  });
}

/** The next version on the way to `target`: at most one minor at a time (CAPI chains through kubernetesVersions). */
export function nextVersionToward(current: string | undefined, target: string, listed: string[]): string {
  const from = parseKubernetesVersion(current);
  const to = parseKubernetesVersion(target);
  if (!from || !to || to.minor <= from.minor + 1 || to.major !== from.major) return target;
  const steps = listed
    .filter((v) => {
      const parsed = parseKubernetesVersion(v);
      return parsed && parsed.major === from.major && parsed.minor === from.minor + 1;
    })
    .sort(compareKubernetesVersions);
  return steps.at(-1) ?? target;
}

async function ensureControlPlane(
  ctx: EngineContext,
  cluster: KubeObject,
  clusterClass: KubeObject,
  version: string,
): Promise<{ cluster: KubeObject; kcp?: KubeObject; upgrading: boolean; message?: string }> {
  const namespace = cluster.metadata.namespace;
  const existingName = stringField(cluster, 'spec.controlPlaneRef.name');
  const replicas = numberField(cluster, 'spec.topology.controlPlane.replicas');
  const listed = arrayField(clusterClass, 'spec.kubernetesVersions').filter(
    (v): v is string => typeof v === 'string',
  );
  if (existingName) {
    const kcp = ctx.cache.informer(TYPES.kubeadmControlPlane).get(namespace, existingName);
    if (!kcp) return { cluster, upgrading: false };
    const currentVersion = stringField(kcp, 'spec.version');
    const statusVersion = stringField(kcp, 'status.version');
    const rollingOut =
      isConditionTrue(kcp.status, 'RollingOut') ||
      numberField(kcp, 'status.upToDateReplicas') !== numberField(kcp, 'status.replicas');
    let nextVersion = currentVersion;
    // A step of the upgrade starts only when the previous one finished.
    if (currentVersion !== version && statusVersion === currentVersion && !rollingOut)
      nextVersion = nextVersionToward(currentVersion, version, listed);
    await updateObject(ctx, TYPES.kubeadmControlPlane, kcp, (copy) => {
      const spec = copy.spec as JsonRecord;
      if (replicas !== undefined) spec.replicas = replicas;
      if (nextVersion) spec.version = nextVersion;
    });
    const upgrading = currentVersion !== version || statusVersion !== version || rollingOut;
    return {
      cluster,
      kcp,
      upgrading,
      message: upgrading ? `Control plane upgrading to ${version}` : undefined,
    };
  }
  const ref = templateRef(clusterClass, 'spec.controlPlane.templateRef');
  if (!ref)
    throw new Waiting('TopologyReconcileFailed', 'The ClusterClass has no control plane template', 10_000);
  const { object: template } = readTemplate(ctx, clusterClass.metadata.namespace ?? '', ref);
  const machineRef = templateRef(clusterClass, 'spec.controlPlane.machineInfrastructure.templateRef');
  const spec = structuredClone(recordField(template, 'spec.template.spec') ?? {});
  spec.version = nextVersionToward(undefined, version, listed);
  spec.replicas = replicas ?? 1;
  if (machineRef) {
    const copyName = await ensureTemplateCopy(
      ctx,
      cluster,
      clusterClass.metadata.namespace ?? '',
      machineRef,
      'control-plane',
    );
    const machineTemplate = (recordField(spec, 'machineTemplate') ?? {}) as JsonRecord;
    machineTemplate.spec = {
      ...(recordField(machineTemplate, 'spec') ?? {}),
      infrastructureRef: {
        apiGroup: apiGroupOf(machineRef.apiVersion),
        kind: machineRef.kind,
        name: copyName,
      },
    };
    spec.machineTemplate = machineTemplate;
  }
  // Control-plane machines carry the topology labels, as CAPI's topology controller sets them.
  const machineTemplate = (recordField(spec, 'machineTemplate') ?? {}) as JsonRecord;
  machineTemplate.metadata = {
    ...(recordField(machineTemplate, 'metadata') ?? {}),
    labels: topologyLabels(cluster),
  };
  spec.machineTemplate = machineTemplate;
  const name = `${cluster.metadata.name}-${stableSuffix(`${cluster.metadata.uid}/control-plane`)}`;
  const created = await createObject(ctx, TYPES.kubeadmControlPlane, {
    apiVersion: `${TYPES.kubeadmControlPlane.group}/${TYPES.kubeadmControlPlane.version}`,
    kind: 'KubeadmControlPlane',
    metadata: {
      name,
      namespace,
      labels: topologyLabels(cluster),
      annotations: clonedFrom(ref),
      ownerReferences: [ownerReference(cluster, true)],
    },
    spec,
  });
  if (!created.ok && created.code !== 409)
    throw new Waiting('TopologyReconcileFailed', `Creating KubeadmControlPlane: ${created.message}`, 1_000);
  const updated = await setClusterRef(ctx, cluster, 'controlPlaneRef', {
    apiGroup: TYPES.kubeadmControlPlane.group,
    kind: 'KubeadmControlPlane',
    name,
  });
  return { cluster: updated, kcp: created.ok ? created.value : undefined, upgrading: true };
}

function topologyDeployments(cluster: KubeObject): JsonRecord[] {
  return arrayField(cluster, 'spec.topology.workers.machineDeployments').filter(isRecord);
}

async function ensureMachineDeployments(
  ctx: EngineContext,
  cluster: KubeObject,
  clusterClass: KubeObject,
  version: string,
  controlPlaneStable: boolean,
  controlPlaneVersion: string | undefined,
): Promise<string[]> {
  const namespace = cluster.metadata.namespace;
  const clusterName = cluster.metadata.name ?? '';
  const existing = ctx.cache
    .informer(TYPES.machineDeployment)
    .byCluster(namespace, clusterName)
    .filter((md) => md.metadata.labels?.[LABELS.topologyOwned] !== undefined);
  const classes = arrayField(clusterClass, 'spec.workers.machineDeployments').filter(isRecord);
  const wanted = topologyDeployments(cluster);
  const pending: string[] = [];
  let upgradeInFlight = existing.some(
    (md) =>
      stringField(md, 'spec.template.spec.version') === version && isConditionTrue(md.status, 'RollingOut'),
  );
  for (const entry of wanted) {
    const topologyName = stringField(entry, 'name') ?? '';
    const mdClass = classes.find((c) => c.class === entry.class);
    if (!mdClass)
      throw new Waiting(
        'TopologyReconcileFailed',
        `MachineDeployment class ${String(entry.class)} is not defined in the ClusterClass`,
        10_000,
      );
    const replicas = numberField(entry, 'replicas');
    const md = existing.find((m) => m.metadata.labels?.[LABELS.topologyDeploymentName] === topologyName);
    if (md) {
      const mdVersion = stringField(md, 'spec.template.spec.version');
      let nextVersion = mdVersion;
      if (mdVersion !== version) {
        if (controlPlaneStable && !upgradeInFlight) {
          nextVersion = version;
          upgradeInFlight = true;
        } else pending.push(topologyName);
      }
      await updateObject(ctx, TYPES.machineDeployment, md, (copy) => {
        const spec = copy.spec as JsonRecord;
        if (replicas !== undefined) spec.replicas = replicas;
        if (nextVersion) (spec.template as { spec: JsonRecord }).spec.version = nextVersion;
      });
      continue;
    }
    const classNamespace = clusterClass.metadata.namespace ?? '';
    const infraRef = templateRef(mdClass, 'infrastructure.templateRef');
    const bootstrapRef = templateRef(mdClass, 'bootstrap.templateRef');
    if (!infraRef || !bootstrapRef)
      throw new Waiting(
        'TopologyReconcileFailed',
        `MachineDeployment class ${String(entry.class)} lacks templates`,
        10_000,
      );
    const infraName = await ensureTemplateCopy(ctx, cluster, classNamespace, infraRef, topologyName);
    const bootstrapName = await ensureTemplateCopy(ctx, cluster, classNamespace, bootstrapRef, topologyName);
    const name = `${clusterName}-${topologyName}-${stableSuffix(`${cluster.metadata.uid}/md/${topologyName}`)}`;
    const labels = topologyLabels(cluster, { [LABELS.topologyDeploymentName]: topologyName });
    const templateSpec: JsonRecord = {
      clusterName,
      version: controlPlaneStable ? version : (controlPlaneVersion ?? version),
      // MachineDeployments point at templates; each Machine gets its own copies.
      bootstrap: {
        configRef: {
          apiGroup: apiGroupOf(bootstrapRef.apiVersion),
          kind: bootstrapRef.kind,
          name: bootstrapName,
        },
      },
      infrastructureRef: { apiGroup: apiGroupOf(infraRef.apiVersion), kind: infraRef.kind, name: infraName },
    };
    for (const key of ['minReadySeconds', 'readinessGates', 'failureDomain']) {
      const value = entry[key] ?? mdClass[key];
      if (value !== undefined) templateSpec[key] = value;
    }
    const spec: JsonRecord = {
      clusterName,
      replicas: replicas ?? 1,
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { labels: { ...labels } },
        spec: templateSpec,
      },
    };
    const rollout = recordField(entry, 'rollout') ?? recordField(mdClass, 'rollout');
    if (rollout) spec.rollout = rollout;
    const created = await createObject(ctx, TYPES.machineDeployment, {
      apiVersion: `${TYPES.machineDeployment.group}/${TYPES.machineDeployment.version}`,
      kind: 'MachineDeployment',
      metadata: { name, namespace, labels, ownerReferences: [ownerReference(cluster, false)] },
      spec,
    });
    if (!created.ok && created.code !== 409)
      throw new Waiting(
        'TopologyReconcileFailed',
        `Creating MachineDeployment ${name}: ${created.message}`,
        1_000,
      );
  }
  const names = new Set(wanted.map((entry) => stringField(entry, 'name')));
  for (const md of existing) {
    if (!names.has(md.metadata.labels?.[LABELS.topologyDeploymentName]))
      await deleteObject(ctx, TYPES.machineDeployment, md);
  }
  return pending;
}

async function ensureHealthCheck(
  ctx: EngineContext,
  cluster: KubeObject,
  name: string,
  selector: Record<string, string>,
  classHealthCheck: JsonRecord | undefined,
  topologyHealthCheck: JsonRecord | undefined,
): Promise<void> {
  const informer = ctx.cache.informer(TYPES.machineHealthCheck);
  const existing = informer.get(cluster.metadata.namespace, name);
  const enabled = topologyHealthCheck?.enabled ?? (classHealthCheck ? true : false);
  const checks = recordField(topologyHealthCheck, 'checks') ?? recordField(classHealthCheck, 'checks');
  if (!enabled || !checks) {
    if (existing) await deleteObject(ctx, TYPES.machineHealthCheck, existing);
    return;
  }
  const remediation =
    recordField(topologyHealthCheck, 'remediation') ?? recordField(classHealthCheck, 'remediation');
  const spec: JsonRecord = {
    clusterName: cluster.metadata.name,
    selector: { matchLabels: selector },
    checks,
    ...(remediation ? { remediation } : {}),
  };
  if (existing) {
    await updateObject(ctx, TYPES.machineHealthCheck, existing, (copy) => {
      copy.spec = { ...(copy.spec as JsonRecord), ...spec };
    });
    return;
  }
  await createObject(ctx, TYPES.machineHealthCheck, {
    apiVersion: `${TYPES.machineHealthCheck.group}/${TYPES.machineHealthCheck.version}`,
    kind: 'MachineHealthCheck',
    metadata: {
      name,
      namespace: cluster.metadata.namespace,
      labels: topologyLabels(cluster),
      ownerReferences: [ownerReference(cluster, false)],
    },
    spec,
  });
}

async function ensureHealthChecks(
  ctx: EngineContext,
  cluster: KubeObject,
  clusterClass: KubeObject,
): Promise<void> {
  const clusterName = cluster.metadata.name ?? '';
  const cpName = stringField(cluster, 'spec.controlPlaneRef.name');
  if (cpName) {
    await ensureHealthCheck(
      ctx,
      cluster,
      cpName,
      { [LABELS.clusterName]: clusterName, [LABELS.controlPlane]: '' },
      recordField(clusterClass, 'spec.controlPlane.healthCheck'),
      recordField(cluster, 'spec.topology.controlPlane.healthCheck'),
    );
  }
  const classes = arrayField(clusterClass, 'spec.workers.machineDeployments').filter(isRecord);
  const mds = ctx.cache.informer(TYPES.machineDeployment).byCluster(cluster.metadata.namespace, clusterName);
  for (const entry of topologyDeployments(cluster)) {
    const topologyName = stringField(entry, 'name') ?? '';
    const md = mds.find((m) => m.metadata.labels?.[LABELS.topologyDeploymentName] === topologyName);
    if (!md?.metadata.name) continue;
    const mdClass = classes.find((c) => c.class === entry.class);
    await ensureHealthCheck(
      ctx,
      cluster,
      md.metadata.name,
      { [LABELS.clusterName]: clusterName, [LABELS.topologyDeploymentName]: topologyName },
      recordField(mdClass, 'healthCheck'),
      recordField(entry, 'healthCheck'),
    );
  }
}

export function classKeyOf(cluster: KubeObject): { namespace: string; name: string } | undefined {
  const name = stringField(cluster, 'spec.topology.classRef.name');
  return name
    ? {
        name,
        namespace:
          stringField(cluster, 'spec.topology.classRef.namespace') ?? cluster.metadata.namespace ?? '',
      }
    : undefined;
}

/** CAPI labels a topology Cluster itself as topology-owned. */
async function ensureClusterLabels(ctx: EngineContext, cluster: KubeObject): Promise<KubeObject> {
  const labels = topologyLabels(cluster);
  if (Object.entries(labels).every(([key, value]) => cluster.metadata.labels?.[key] === value))
    return cluster;
  const result = await updateObject(ctx, TYPES.cluster, cluster, (copy) => {
    copy.metadata.labels = { ...copy.metadata.labels, ...labels };
  });
  if (result && !result.ok) throw new Waiting('Waiting', `Labelling the Cluster: ${result.message}`, 100);
  return result?.ok ? result.value : cluster;
}

export async function reconcileTopology(
  ctx: EngineContext,
  cluster: KubeObject,
): Promise<{ cluster: KubeObject; outcome: TopologyOutcome }> {
  const key = classKeyOf(cluster);
  const version = stringField(cluster, 'spec.topology.version') ?? '';
  const informer = ctx.cache.informer(TYPES.clusterClass);
  if (!informer.synced) return { cluster, outcome: { conditions: [], requeueAfterMs: 200 } };
  const clusterClass = key ? informer.get(key.namespace, key.name) : undefined;
  if (!clusterClass || !key) {
    return {
      cluster,
      outcome: { conditions: key ? [topologyClassNotFound(key)] : [], requeueAfterMs: 5_000 },
    };
  }
  try {
    let current = await ensureClusterLabels(ctx, cluster);
    current = await ensureInfraCluster(ctx, current, clusterClass);
    const controlPlane = await ensureControlPlane(ctx, current, clusterClass, version);
    current = controlPlane.cluster;
    const pending = await ensureMachineDeployments(
      ctx,
      current,
      clusterClass,
      version,
      !controlPlane.upgrading,
      stringField(controlPlane.kcp, 'status.version') ?? stringField(controlPlane.kcp, 'spec.version'),
    );
    pending.push(
      ...(await ensureMachinePools(
        ctx,
        current,
        clusterClass,
        version,
        !controlPlane.upgrading,
        stringField(controlPlane.kcp, 'status.version') ?? stringField(controlPlane.kcp, 'spec.version'),
      )),
    );
    await ensureHealthChecks(ctx, current, clusterClass);
    const condition = topologyReconciledCondition({
      controlPlaneUpgrading: Boolean(
        controlPlane.upgrading && controlPlane.kcp && stringField(controlPlane.kcp, 'status.version'),
      ),
      controlPlaneMessage: controlPlane.message,
      pendingDeployments: pending,
      version,
      hasPatches: arrayField(clusterClass, 'spec.patches').length > 0,
    });
    return {
      cluster: current,
      outcome: {
        conditions: [condition],
        requeueAfterMs: controlPlane.upgrading || pending.length > 0 ? 1_000 : undefined,
      },
    };
  } catch (error) {
    if (!(error instanceof Waiting)) throw error;
    return {
      cluster,
      outcome: {
        conditions: [topologyWaitingCondition(error.reason, error.message)],
        requeueAfterMs: error.retryMs,
      },
    };
  }
}
