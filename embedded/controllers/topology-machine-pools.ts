/**
 * MachinePools of a ClusterClass topology (`spec.topology.workers.machinePools`): each entry gets
 * a MachinePool with its own bootstrap config and InfraMachinePool created from the class's
 * templates (pools reference objects, not templates), replicas follow the topology, entries
 * removed from the topology are deleted, and a version change reaches the pools once the control
 * plane is stable, one pool at a time — as for MachineDeployments.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import {
  type EngineContext,
  apiGroupOf,
  createObject,
  deleteObject,
  ownerReference,
  updateObject,
} from './engine-context.ts';
import { MACHINE_POOL_TYPE } from './machine-pool-controller.ts';
import { stableSuffix } from './naming.ts';
import {
  type JsonRecord,
  arrayField,
  isRecord,
  numberField,
  recordField,
  stringField,
} from './object-fields.ts';
import {
  type TemplateRef,
  Waiting,
  clonedFrom,
  readTemplate,
  templateRef,
  topologyLabels,
} from './topology-templates.ts';

/** The label CAPI's topology controller puts on pools it owns. */
export const TOPOLOGY_POOL_NAME_LABEL = 'topology.cluster.x-k8s.io/pool-name';

/** Creates the object a pool references from a class template's `spec.template.spec`. */
async function createFromTemplate(
  ctx: EngineContext,
  cluster: KubeObject,
  classNamespace: string,
  ref: TemplateRef,
  name: string,
  labels: Record<string, string>,
): Promise<{ apiGroup: string; kind: string; name: string }> {
  const { object: template } = readTemplate(ctx, classNamespace, ref);
  const group = apiGroupOf(ref.apiVersion);
  const kindName = ref.kind.replace(/Template$/, '');
  const kind = ctx.cache.resolve(group, kindName);
  if (!kind) throw new Waiting('TemplateKindNotFound', `No CRD serves ${kindName}.${group}`, 2_000);
  if (!ctx.cache.informer(kind.type).get(cluster.metadata.namespace, name)) {
    const created = await createObject(ctx, kind.type, {
      apiVersion: `${kind.type.group}/${kind.type.version}`,
      kind: kind.type.kind,
      metadata: {
        name,
        namespace: cluster.metadata.namespace,
        labels,
        annotations: clonedFrom(ref),
        ownerReferences: [ownerReference(cluster, false)],
      },
      spec: structuredClone(recordField(template, 'spec.template.spec') ?? {}),
    });
    if (!created.ok && created.code !== 409)
      throw new Waiting(
        'TopologyReconcileFailed',
        `Creating ${kind.type.kind} ${name}: ${created.message}`,
        1_000,
      );
  }
  return { apiGroup: kind.type.group, kind: kind.type.kind, name };
}

/** Reconciles the topology's MachinePools; returns the names whose upgrade is still pending. */
export async function ensureMachinePools(
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
    .informer(MACHINE_POOL_TYPE)
    .byCluster(namespace, clusterName)
    .filter((mp) => mp.metadata.labels?.[TOPOLOGY_POOL_NAME_LABEL] !== undefined);
  const classes = arrayField(clusterClass, 'spec.workers.machinePools').filter(isRecord);
  const wanted = arrayField(cluster, 'spec.topology.workers.machinePools').filter(isRecord);
  const pending: string[] = [];
  // MachinePools have no RollingOut condition: a pool at the new version with replicas not yet
  // up to date is still rolling out.
  let upgradeInFlight = existing.some(
    (mp) =>
      stringField(mp, 'spec.template.spec.version') === version &&
      (numberField(mp, 'status.upToDateReplicas') ?? 0) < (numberField(mp, 'spec.replicas') ?? 0),
  );
  for (const entry of wanted) {
    const topologyName = stringField(entry, 'name') ?? '';
    const replicas = numberField(entry, 'replicas');
    const pool = existing.find((mp) => mp.metadata.labels?.[TOPOLOGY_POOL_NAME_LABEL] === topologyName);
    if (pool) {
      const poolVersion = stringField(pool, 'spec.template.spec.version');
      let nextVersion = poolVersion;
      if (poolVersion !== version) {
        if (controlPlaneStable && !upgradeInFlight) {
          nextVersion = version;
          upgradeInFlight = true;
        } else pending.push(topologyName);
      }
      await updateObject(ctx, MACHINE_POOL_TYPE, pool, (copy) => {
        const spec = copy.spec as JsonRecord;
        if (replicas !== undefined) spec.replicas = replicas;
        if (nextVersion) (spec.template as { spec: JsonRecord }).spec.version = nextVersion;
      });
      continue;
    }
    const poolClass = classes.find((c) => c.class === entry.class);
    if (!poolClass)
      throw new Waiting(
        'TopologyReconcileFailed',
        `MachinePool class ${String(entry.class)} is not defined in the ClusterClass`,
        10_000,
      );
    const infraRef = templateRef(poolClass, 'infrastructure.templateRef');
    const bootstrapRef = templateRef(poolClass, 'bootstrap.templateRef');
    if (!infraRef || !bootstrapRef)
      throw new Waiting(
        'TopologyReconcileFailed',
        `MachinePool class ${String(entry.class)} lacks templates`,
        10_000,
      );
    const classNamespace = clusterClass.metadata.namespace ?? '';
    const suffix = stableSuffix(`${cluster.metadata.uid}/mp/${topologyName}`);
    const name = `${clusterName}-${topologyName}-${suffix}`;
    const labels = topologyLabels(cluster, { [TOPOLOGY_POOL_NAME_LABEL]: topologyName });
    const bootstrap = await createFromTemplate(
      ctx,
      cluster,
      classNamespace,
      bootstrapRef,
      `${name}-bootstrap`,
      labels,
    );
    const infrastructure = await createFromTemplate(ctx, cluster, classNamespace, infraRef, name, labels);
    const templateSpec: JsonRecord = {
      clusterName,
      version: controlPlaneStable ? version : (controlPlaneVersion ?? version),
      bootstrap: { configRef: bootstrap },
      infrastructureRef: infrastructure,
    };
    for (const key of ['minReadySeconds']) {
      const value = entry[key] ?? poolClass[key];
      if (value !== undefined) templateSpec[key] = value;
    }
    const spec: JsonRecord = {
      clusterName,
      replicas: replicas ?? 1,
      template: { metadata: { labels: { ...labels } }, spec: templateSpec },
    };
    const failureDomains = entry.failureDomains ?? poolClass.failureDomains;
    if (failureDomains !== undefined) spec.failureDomains = failureDomains;
    const created = await createObject(ctx, MACHINE_POOL_TYPE, {
      apiVersion: `${MACHINE_POOL_TYPE.group}/${MACHINE_POOL_TYPE.version}`,
      kind: 'MachinePool',
      metadata: { name, namespace, labels, ownerReferences: [ownerReference(cluster, false)] },
      spec,
    });
    if (!created.ok && created.code !== 409)
      throw new Waiting('TopologyReconcileFailed', `Creating MachinePool ${name}: ${created.message}`, 1_000);
  }
  const names = new Set(wanted.map((entry) => stringField(entry, 'name')));
  for (const pool of existing) {
    if (!names.has(pool.metadata.labels?.[TOPOLOGY_POOL_NAME_LABEL]))
      await deleteObject(ctx, MACHINE_POOL_TYPE, pool);
  }
  return pending;
}
