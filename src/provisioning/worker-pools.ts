/**
 * Day-2 worker pools: adding and removing a MachineDeployment.
 *
 * Topology clusters: an entry in `spec.topology.workers.machineDeployments` (class, name,
 * replicas), written with the Cluster's resourceVersion as precondition; CAPI's topology
 * controller creates or deletes the MachineDeployment and its templates.
 *
 * Plain clusters: the new MachineDeployment copies an existing one of the same cluster (the
 * one named, else the first by name) — its rollout settings, version and machine template —
 * and gets its own copies of the source's infrastructure and bootstrap templates, named like
 * the MachineDeployment and labelled `capi-gateway.dev/machine-deployment`, so the pool can
 * later change its templates without touching the source, and removing it removes exactly
 * what was added. Objects are dry-run first (admission runs), then created templates first;
 * a MachineDeployment that fails to be created takes its template copies back with it.
 */
import { CAPI_GROUP, labels as capiLabels } from '../capi/kinds.ts';
import type { ClusterClassView, ClusterView, MachineDeploymentView } from '../capi/views.ts';
import type { DomainError, Result } from '../k8s/domain-error.ts';
import type { KubeObject } from '../k8s/kube-object.ts';
import type { ResourceTarget } from '../k8s/kube-transport.ts';
import {
  FIELD_MANAGER,
  requireTarget,
  validationError,
  type ManagementClusterWrites,
} from './management-cluster-writes.ts';
import type { ProvisioningLimits } from './provisioning-limits.ts';
import { topologyEntryLabels } from './scale-replicas.ts';
import { workerReplicaViolations } from './scale-guardrails.ts';

/** The label on the template copies a plain-cluster pool gets: the MachineDeployment's name. */
export const COPIED_FOR_LABEL = 'capi-gateway.dev/machine-deployment';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const clusterKind = { group: CAPI_GROUP, kind: 'Cluster' };
const mdKind = { group: CAPI_GROUP, kind: 'MachineDeployment' };

export interface AddMachineDeploymentRequest {
  cluster: ClusterView;
  name: string;
  replicas: number;
  /** Topology clusters: the worker class of the ClusterClass (required). */
  workerClass?: string | null;
  clusterClass: ClusterClassView | null;
  /** Plain clusters: the MachineDeployment to copy (default: the cluster's first by name). */
  source?: MachineDeploymentView | null;
  /** The cluster's MachineDeployments now (names must stay unique; a plain source defaults to one). */
  existing: readonly MachineDeploymentView[];
  limits: ProvisioningLimits;
}

export interface AddedMachineDeployment {
  /** Plain: the MachineDeployment created; topology: null (CAPI names it). */
  name: string | null;
  /** The topology entry name (topology) or the MachineDeployment name (plain). */
  poolName: string;
  via: 'topology' | 'copy';
}

type FieldViolation = { path: string; message: string };

function nameViolations(name: string, maxLength: number): FieldViolation[] {
  if (name.length === 0 || name.length > maxLength || !DNS_SUBDOMAIN.test(name))
    return [
      {
        path: 'name',
        message: `'${name}' must be 1–${maxLength} lowercase letters, digits, '-' or '.', starting and ending with a letter or digit`,
      },
    ];
  return [];
}

function refusal(cluster: ClusterView): DomainError | null {
  if (cluster.deletionTimestamp)
    return { code: 'CONFLICT', message: `Cluster ${cluster.address.name} is being deleted` };
  if (cluster.paused)
    return { code: 'CONFLICT', message: `Cluster ${cluster.address.name} is paused: resume it first` };
  return null;
}

function invalid(violations: FieldViolation[]): { ok: false; error: DomainError } {
  return {
    ok: false,
    error: validationError(violations.map((v) => `${v.path}: ${v.message}`).join('; '), violations),
  };
}

async function readCluster(
  writes: ManagementClusterWrites,
  cluster: ClusterView,
): Promise<Result<{ target: ResourceTarget; object: KubeObject }>> {
  const target = requireTarget(writes, clusterKind);
  if (!target.ok) return target;
  const object = await writes.writer.read(target.value, {
    namespace: cluster.address.namespace,
    name: cluster.address.name,
  });
  if (!object.ok) return object;
  if (object.value.metadata.uid !== cluster.uid)
    return {
      ok: false,
      error: { code: 'NOT_FOUND', message: `Cluster ${cluster.address.name} was replaced` },
    };
  return { ok: true, value: { target: target.value, object: object.value } };
}

function topologyEntries(object: KubeObject): Array<{ name?: unknown; class?: unknown }> | null {
  const workers = (
    object['spec'] as { topology?: { workers?: { machineDeployments?: unknown } } } | undefined
  )?.topology?.workers;
  if (!workers) return null;
  return Array.isArray(workers.machineDeployments)
    ? (workers.machineDeployments as Array<{ name?: unknown }>)
    : null;
}

async function addToTopology(
  writes: ManagementClusterWrites,
  request: AddMachineDeploymentRequest,
): Promise<Result<AddedMachineDeployment>> {
  const violations = [
    ...nameViolations(request.name, 63),
    ...workerReplicaViolations(request.replicas, request.limits),
  ];
  const classes = (request.clusterClass?.workerClasses ?? []).filter((w) => w.type === 'MachineDeployment');
  if (!request.workerClass)
    violations.push({ path: 'class', message: 'a topology cluster needs the worker class to use' });
  else if (request.clusterClass && !classes.some((w) => w.class === request.workerClass))
    violations.push({
      path: 'class',
      message: `ClusterClass ${request.clusterClass.address.name} has no MachineDeployment class '${request.workerClass}' (${classes.map((c) => c.class).join(', ') || 'none'})`,
    });
  if (violations.length > 0) return invalid(violations);
  if (!request.clusterClass)
    return {
      ok: false,
      error: {
        code: 'CONFLICT',
        message: `the ClusterClass of Cluster ${request.cluster.address.name} does not exist`,
      },
    };
  const refused = refusal(request.cluster);
  if (refused) return { ok: false, error: refused };
  const read = await readCluster(writes, request.cluster);
  if (!read.ok) return read;
  const { target, object } = read.value;
  const entries = topologyEntries(object);
  if (entries?.some((e) => e.name === request.name))
    return invalid([
      { path: 'name', message: `the topology already has a MachineDeployment named '${request.name}'` },
    ]);
  const entry = { class: request.workerClass, name: request.name, replicas: request.replicas };
  const hasWorkers = (object['spec'] as { topology?: { workers?: unknown } }).topology?.workers !== undefined;
  const operation = entries
    ? { op: 'add' as const, path: '/spec/topology/workers/machineDeployments/-', value: entry }
    : hasWorkers
      ? { op: 'add' as const, path: '/spec/topology/workers/machineDeployments', value: [entry] }
      : { op: 'add' as const, path: '/spec/topology/workers', value: { machineDeployments: [entry] } };
  const patched = await writes.writer.jsonPatch(
    target,
    { namespace: object.metadata.namespace, name: object.metadata.name },
    [operation],
    { resourceVersion: object.metadata.resourceVersion, fieldManager: FIELD_MANAGER },
  );
  if (!patched.ok) return patched;
  return { ok: true, value: { name: null, poolName: request.name, via: 'topology' } };
}

/** A copy of a template object under a new name: spec kept, server-set metadata dropped. */
function templateCopy(source: KubeObject, name: string, cluster: ClusterView, poolName: string): KubeObject {
  return {
    apiVersion: source.apiVersion,
    kind: source.kind,
    metadata: {
      name,
      namespace: cluster.address.namespace,
      labels: {
        ...(source.metadata.labels ?? {}),
        [capiLabels.clusterName]: cluster.address.name,
        [COPIED_FOR_LABEL]: poolName,
      },
    } as unknown as KubeObject['metadata'],
    spec: source['spec'],
  };
}

interface TemplateRefField {
  /** Path in the MachineDeployment to the ref, e.g. spec.template.spec.infrastructureRef. */
  path: string[];
  group: string;
  kind: string;
  name: string;
}

function refAt(md: KubeObject, path: string[]): TemplateRefField | null {
  const ref = path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], md) as
    { apiGroup?: string; apiVersion?: string; kind?: string; name?: string } | undefined;
  if (!ref?.kind || !ref.name) return null;
  const group = ref.apiGroup ?? (ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0]! : '');
  return { path, group, kind: ref.kind, name: ref.name };
}

function withRefName(md: Record<string, unknown>, path: string[], name: string): void {
  let node = md;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]!] = { ...(node[path[path.length - 1]!] as object), name };
}

function machineDeploymentCopy(
  source: KubeObject,
  cluster: ClusterView,
  request: AddMachineDeploymentRequest,
): KubeObject {
  const sourceSpec = structuredClone(source['spec']) as Record<string, unknown> & {
    template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> };
  };
  const selectorLabels = {
    [capiLabels.clusterName]: cluster.address.name,
    [capiLabels.deploymentName]: request.name,
  };
  const templateLabels = { ...(sourceSpec.template?.metadata?.labels ?? {}), ...selectorLabels };
  const spec: Record<string, unknown> = {
    ...sourceSpec,
    clusterName: cluster.address.name,
    replicas: request.replicas,
    selector: { matchLabels: selectorLabels },
    template: {
      ...sourceSpec.template,
      metadata: { ...sourceSpec.template?.metadata, labels: templateLabels },
    },
  };
  // A forced rollout or a pause of the source is not the new pool's.
  delete (spec['rollout'] as Record<string, unknown> | undefined)?.['after'];
  delete spec['paused'];
  delete spec['rolloutAfter'];
  return {
    apiVersion: source.apiVersion,
    kind: 'MachineDeployment',
    metadata: {
      name: request.name,
      namespace: cluster.address.namespace,
      labels: { [capiLabels.clusterName]: cluster.address.name },
    } as unknown as KubeObject['metadata'],
    spec,
  };
}

interface PlannedObject {
  target: ResourceTarget;
  object: KubeObject;
}

async function createAll(writes: ManagementClusterWrites, planned: PlannedObject[]): Promise<Result<void>> {
  for (const p of planned) {
    const dry = await writes.writer.create(p.target, p.object, { dryRun: true, fieldManager: FIELD_MANAGER });
    if (!dry.ok) return dry;
  }
  const created: PlannedObject[] = [];
  for (const p of planned) {
    const result = await writes.writer.create(p.target, p.object, { fieldManager: FIELD_MANAGER });
    if (!result.ok) {
      // Take back what this request created so a retry starts clean.
      for (const c of created.reverse())
        await writes.writer.delete(c.target, {
          namespace: c.object.metadata.namespace,
          name: c.object.metadata.name,
        });
      return {
        ok: false,
        error: {
          ...result.error,
          message: `${result.error.message} (nothing was left behind: ${created.length} object(s) created before were deleted)`,
        },
      };
    }
    created.push(p);
  }
  return { ok: true, value: undefined };
}

async function addByCopy(
  writes: ManagementClusterWrites,
  request: AddMachineDeploymentRequest,
): Promise<Result<AddedMachineDeployment>> {
  const { cluster } = request;
  const violations = [
    ...nameViolations(request.name, 63),
    ...workerReplicaViolations(request.replicas, request.limits),
  ];
  if (request.workerClass)
    violations.push({
      path: 'class',
      message: 'a plain cluster has no worker classes: name a MachineDeployment to copy (from)',
    });
  const source =
    request.source ?? [...request.existing].sort((a, b) => a.address.name.localeCompare(b.address.name))[0];
  if (!source)
    violations.push({
      path: 'from',
      message: `Cluster ${cluster.address.name} has no MachineDeployment to copy`,
    });
  else if (
    source.clusterName !== cluster.address.name ||
    source.address.namespace !== cluster.address.namespace
  )
    violations.push({
      path: 'from',
      message: `MachineDeployment ${source.address.name} is not part of Cluster ${cluster.address.name}`,
    });
  if (request.existing.some((md) => md.address.name === request.name))
    violations.push({ path: 'name', message: `a MachineDeployment named '${request.name}' already exists` });
  if (violations.length > 0 || !source) return invalid(violations);
  const refused = refusal(cluster);
  if (refused) return { ok: false, error: refused };

  const mdTarget = requireTarget(writes, mdKind);
  if (!mdTarget.ok) return mdTarget;
  const sourceObject = await writes.writer.read(mdTarget.value, {
    namespace: source.address.namespace,
    name: source.address.name,
  });
  if (!sourceObject.ok) return sourceObject;
  const copy = machineDeploymentCopy(sourceObject.value, cluster, request);
  const planned: PlannedObject[] = [];
  for (const path of [
    ['spec', 'template', 'spec', 'infrastructureRef'],
    ['spec', 'template', 'spec', 'bootstrap', 'configRef'],
  ]) {
    const ref = refAt(sourceObject.value, path);
    if (!ref) continue;
    const target = requireTarget(writes, ref);
    if (!target.ok) return target;
    const template = await writes.writer.read(target.value, {
      namespace: source.address.namespace,
      name: ref.name,
    });
    if (!template.ok) return template;
    planned.push({
      target: target.value,
      object: templateCopy(template.value, request.name, cluster, request.name),
    });
    withRefName(copy as unknown as Record<string, unknown>, path, request.name);
  }
  planned.push({ target: mdTarget.value, object: copy });
  const created = await createAll(writes, planned);
  if (!created.ok) return created;
  return { ok: true, value: { name: request.name, poolName: request.name, via: 'copy' } };
}

/** Validates and writes a new worker pool; nothing is written when validation fails. */
export function addMachineDeployment(
  writes: ManagementClusterWrites,
  request: AddMachineDeploymentRequest,
): Promise<Result<AddedMachineDeployment>> {
  return request.cluster.topology ? addToTopology(writes, request) : addByCopy(writes, request);
}

export interface RemoveMachineDeploymentRequest {
  md: MachineDeploymentView;
  cluster: ClusterView;
}

/** Removes a pool: its topology entry, or the MachineDeployment itself (template copies go once it is gone). */
export async function removeMachineDeployment(
  writes: ManagementClusterWrites,
  request: RemoveMachineDeploymentRequest,
): Promise<Result<{ via: 'topology' | 'delete' }>> {
  const { md, cluster } = request;
  const refused = refusal(cluster);
  if (refused) return { ok: false, error: refused };
  if (md.deletionTimestamp)
    return {
      ok: false,
      error: { code: 'CONFLICT', message: `MachineDeployment ${md.address.name} is already being deleted` },
    };
  const entryName = md.labels[topologyEntryLabels.MachineDeployment];
  if (cluster.topology && entryName !== undefined) {
    const read = await readCluster(writes, cluster);
    if (!read.ok) return read;
    const { target, object } = read.value;
    const index = (topologyEntries(object) ?? []).findIndex((e) => e.name === entryName);
    if (index < 0)
      return {
        ok: false,
        error: { code: 'CONFLICT', message: `the topology no longer lists MachineDeployment '${entryName}'` },
      };
    const patched = await writes.writer.jsonPatch(
      target,
      { namespace: object.metadata.namespace, name: object.metadata.name },
      [{ op: 'remove', path: `/spec/topology/workers/machineDeployments/${index}` }],
      { resourceVersion: object.metadata.resourceVersion, fieldManager: FIELD_MANAGER },
    );
    return patched.ok ? { ok: true, value: { via: 'topology' } } : patched;
  }
  const target = requireTarget(writes, mdKind);
  if (!target.ok) return target;
  const deleted = await writes.writer.delete(
    target.value,
    { namespace: md.address.namespace, name: md.address.name },
    { propagationPolicy: 'Foreground', preconditions: { uid: md.uid } },
  );
  return deleted.ok ? { ok: true, value: { via: 'delete' } } : deleted;
}

/** The template copies made for a plain pool (by the label), deleted once the pool is gone. */
export async function deleteTemplateCopies(
  writes: ManagementClusterWrites,
  md: { namespace: string; name: string },
  refs: ReadonlyArray<{ group: string; kind: string; name: string }>,
): Promise<Result<number>> {
  let deleted = 0;
  for (const ref of refs) {
    const target = requireTarget(writes, ref);
    if (!target.ok) continue;
    const key = { namespace: md.namespace, name: ref.name };
    const object = await writes.writer.read(target.value, key);
    if (!object.ok) {
      if (object.error.code === 'NOT_FOUND') continue;
      return object;
    }
    if (object.value.metadata.labels?.[COPIED_FOR_LABEL] !== md.name) continue;
    const gone = await writes.writer.delete(target.value, key, {
      preconditions: { uid: object.value.metadata.uid },
    });
    if (!gone.ok && gone.error.code !== 'NOT_FOUND') return gone;
    deleted += 1;
  }
  return { ok: true, value: deleted };
}
