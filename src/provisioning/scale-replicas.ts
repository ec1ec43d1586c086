/**
 * Scaling a control plane, MachineDeployment or MachinePool. Topology-managed objects are
 * scaled where CAPI's topology controller reads their size (`spec.topology.controlPlane
 * .replicas`, `spec.topology.workers.machineDeployments[i].replicas`, `…machinePools[i]
 * .replicas`) — writing the object itself would be reverted. Other objects go through the
 * scale subresource. Both writes carry the resourceVersion they were computed from, so a
 * concurrent change answers CONFLICT instead of being overwritten.
 */
import { CAPI_GROUP, pausedAnnotation } from '../capi/kinds.ts';
import type { ClusterView, ControlPlaneView, MachineDeploymentView, MachinePoolView } from '../capi/views.ts';
import type { DomainError, Result } from '../k8s/domain-error.ts';
import type { KubeObject } from '../k8s/kube-object.ts';
import {
  FIELD_MANAGER,
  requireTarget,
  validationError,
  type ManagementClusterWrites,
} from './management-cluster-writes.ts';
import type { ProvisioningLimits } from './provisioning-limits.ts';
import {
  controlPlaneReplicaViolations,
  etcdTopologyOf,
  workerReplicaViolations,
} from './scale-guardrails.ts';

export type ScalableView = ControlPlaneView | MachineDeploymentView | MachinePoolView;

export interface ScaleRequest {
  view: ScalableView;
  /** The workload Cluster the object belongs to (null when it cannot be found). */
  cluster: ClusterView | null;
  replicas: number;
  limits: ProvisioningLimits;
}

export interface ScaleWritten {
  via: 'topology' | 'scale-subresource';
  /** The desired replicas before the change (null: unset, e.g. left to an autoscaler). */
  previousReplicas: number | null;
}

/** Labels CAPI's topology controller puts on the worker pools it owns, naming their topology entry. */
export const topologyEntryLabels = {
  MachineDeployment: 'topology.cluster.x-k8s.io/deployment-name',
  MachinePool: 'topology.cluster.x-k8s.io/pool-name',
} as const;

const clusterKind = { group: CAPI_GROUP, kind: 'Cluster' };

function fail(error: DomainError): { ok: false; error: DomainError } {
  return { ok: false, error };
}

/** Where in spec.topology this object's size lives, or null when the topology does not manage it. */
function topologyPath(request: ScaleRequest, cluster: KubeObject): Result<string | null> {
  const { view } = request;
  const topology = (cluster['spec'] as { topology?: Record<string, unknown> } | undefined)?.topology;
  if (!topology || !request.cluster?.topology) return { ok: true, value: null };
  if (view.viewKind === 'ControlPlane') {
    const ref = request.cluster.controlPlaneRef;
    const managed = ref?.name === view.address.name && ref.kind === view.address.kind;
    return { ok: true, value: managed ? '/spec/topology/controlPlane' : null };
  }
  const kind = view.viewKind;
  const entryName = view.labels[topologyEntryLabels[kind]];
  if (entryName === undefined) return { ok: true, value: null };
  const list = kind === 'MachineDeployment' ? 'machineDeployments' : 'machinePools';
  const workers = topology['workers'] as Record<string, unknown> | undefined;
  const entries = Array.isArray(workers?.[list]) ? (workers[list] as Array<{ name?: unknown }>) : [];
  const index = entries.findIndex((e) => e.name === entryName);
  if (index < 0)
    return fail({
      code: 'CONFLICT',
      message: `the topology of Cluster ${request.cluster.address.name} no longer lists ${kind} '${entryName}'`,
    });
  return { ok: true, value: `/spec/topology/workers/${list}/${index}` };
}

function violationsOf(request: ScaleRequest, object: KubeObject) {
  return request.view.viewKind === 'ControlPlane'
    ? controlPlaneReplicaViolations(request.replicas, {
        etcd: etcdTopologyOf(object as { kind: string; spec?: unknown }),
        limits: request.limits,
      })
    : workerReplicaViolations(request.replicas, request.limits);
}

/** A paused or deleting cluster would take the change and never act on it. */
function refusal(cluster: ClusterView | null): DomainError | null {
  if (!cluster) return null;
  if (cluster.deletionTimestamp)
    return { code: 'CONFLICT', message: `Cluster ${cluster.address.name} is being deleted` };
  if (cluster.paused || cluster.annotations[pausedAnnotation] !== undefined)
    return { code: 'CONFLICT', message: `Cluster ${cluster.address.name} is paused: resume it first` };
  return null;
}

async function viaTopology(
  writes: ManagementClusterWrites,
  request: ScaleRequest,
  clusterObject: KubeObject,
  path: string,
): Promise<Result<ScaleWritten>> {
  const target = requireTarget(writes, clusterKind);
  if (!target.ok) return target;
  const entry = path
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], clusterObject);
  const previous = (entry as { replicas?: unknown } | undefined)?.replicas;
  const operations =
    entry === undefined
      ? [{ op: 'add' as const, path, value: { replicas: request.replicas } }]
      : [{ op: 'add' as const, path: `${path}/replicas`, value: request.replicas }];
  const patched = await writes.writer.jsonPatch(
    target.value,
    { namespace: clusterObject.metadata.namespace, name: clusterObject.metadata.name },
    operations,
    { resourceVersion: clusterObject.metadata.resourceVersion, fieldManager: FIELD_MANAGER },
  );
  if (!patched.ok) return patched;
  return {
    ok: true,
    value: { via: 'topology', previousReplicas: typeof previous === 'number' ? previous : null },
  };
}

/**
 * Validates the new size against the object as the API server has it now (its etcd layout,
 * whether it still exists) and writes it. Nothing is written when validation fails.
 */
export async function scaleReplicas(
  writes: ManagementClusterWrites,
  request: ScaleRequest,
): Promise<Result<ScaleWritten>> {
  const { view } = request;
  const target = requireTarget(writes, view.address);
  if (!target.ok) return target;
  const key = { namespace: view.address.namespace, name: view.address.name };
  const current = await writes.writer.read(target.value, key);
  if (!current.ok) return current;
  if (current.value.metadata.uid !== view.uid)
    return fail({
      code: 'NOT_FOUND',
      message: `${view.address.kind} ${view.address.name} was replaced by another object of that name`,
    });
  const violations = violationsOf(request, current.value);
  if (violations.length > 0)
    return fail(validationError(violations.map((v) => v.message).join('; '), violations));
  const refused = refusal(request.cluster);
  if (refused) return fail(refused);

  if (request.cluster?.topology) {
    const clusterTarget = requireTarget(writes, clusterKind);
    if (!clusterTarget.ok) return clusterTarget;
    const clusterObject = await writes.writer.read(clusterTarget.value, {
      namespace: request.cluster.address.namespace,
      name: request.cluster.address.name,
    });
    if (!clusterObject.ok) return clusterObject;
    const path = topologyPath(request, clusterObject.value);
    if (!path.ok) return path;
    if (path.value !== null) return viaTopology(writes, request, clusterObject.value, path.value);
  }

  const scale = await writes.writer.getScale(target.value, key);
  if (!scale.ok) return scale;
  const written = await writes.writer.replaceScale(target.value, key, request.replicas, {
    resourceVersion: scale.value.resourceVersion,
  });
  if (!written.ok) return written;
  return { ok: true, value: { via: 'scale-subresource', previousReplicas: scale.value.replicas } };
}
