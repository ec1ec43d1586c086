import { normaliseCluster } from '../src/capi/normalise/cluster.ts';
import type { ClusterView, ObjectAddress } from '../src/capi/views.ts';
import { applyManifests, describeObject } from '../src/provisioning/apply-manifests.ts';
import { createRequestAnnotation, planCreateCluster } from '../src/provisioning/create-cluster-plan.ts';
import type { CreateClusterRequest } from '../src/provisioning/create-cluster-request.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import { listTemplateVariables, type TemplateVariable } from '../src/provisioning/render-template.ts';
import type { KubeObject } from '../src/k8s/kube-object.ts';
import type { GatewayContext } from './context.ts';
import { toGraphQLError } from './domain-errors.ts';
import { ConflictError, UnavailableError, ValidationError } from './errors.ts';
import { operationsOf } from './operations.ts';
import { recordOperation } from './record-operation.ts';

export interface CreateClusterPayload {
  /** Null for a dry run. */
  operation: OperationRecord | null;
  cluster: ClusterView | null;
  /** The rendered objects, in the order they are (or would be) applied. */
  manifests: KubeObject[];
  dryRun: boolean;
}

const isCluster = (o: KubeObject) => o.kind === 'Cluster' && o.apiVersion.startsWith('cluster.x-k8s.io/');

/** What the Operation records of the request: never template variable values (they may be credentials). */
function recordedInput(request: CreateClusterRequest, objects: KubeObject[]): Record<string, unknown> {
  return {
    mode: request.clusterClass ? 'ClusterClass' : 'template',
    name: request.name,
    ...(request.clusterClass
      ? {
          clusterClass: request.clusterClass,
          classNamespace: request.classNamespace ?? request.namespace,
          variables: request.variables ?? {},
        }
      : { templateVariables: Object.keys(request.variables ?? {}).sort() }),
    ...(request.kubernetesVersion ? { kubernetesVersion: request.kubernetesVersion } : {}),
    ...(request.controlPlaneReplicas ? { controlPlaneReplicas: request.controlPlaneReplicas } : {}),
    ...(request.workers?.length ? { workers: request.workers } : {}),
    objects: objects.map(describeObject),
  };
}

/**
 * createCluster: every check first (names, ClusterClass, version, replicas, workers, variables
 * against the class's schemas, template variables), then a server-side dry run of every object
 * (admission runs), then — unless `dryRun` — the real apply in dependency order, and the
 * operation that follows CAPI to a running cluster.
 */
export async function createCluster(
  ctx: GatewayContext,
  request: CreateClusterRequest & { dryRun?: boolean | null },
): Promise<CreateClusterPayload> {
  const operations = operationsOf(ctx);
  const cache = operations.cache(request.managementCluster);
  if (!cache || !ctx.reader.managementCluster(request.managementCluster))
    throw new ValidationError(`no management cluster named '${request.managementCluster}'`, [
      { path: 'managementCluster', message: 'no management cluster of this name is configured' },
    ]);
  const reason = ctx.reader.availability(request.managementCluster);
  if (reason)
    throw new UnavailableError(`management cluster '${request.managementCluster}' is unavailable: ${reason}`);

  assertClassVisible(ctx, cache.name, request);
  const plan = planCreateCluster(cache, request);
  if (!plan.ok) throw new ValidationError('the cluster cannot be created as requested', plan.violations);
  const clusterObject = plan.objects.find(isCluster)!;
  const address: ObjectAddress = {
    managementCluster: cache.name,
    group: 'cluster.x-k8s.io',
    kind: 'Cluster',
    namespace: request.namespace,
    name: request.name,
  };
  // Through the caller's reader: a Cluster they may not list is not confirmed to exist (the
  // impersonated dry run below then answers as the API server decides).
  const existing = ctx.reader.get(address);
  const digest = clusterObject.metadata.annotations?.[createRequestAnnotation];
  if (existing && existing.annotations[createRequestAnnotation] !== digest)
    throw new ConflictError(`Cluster ${request.namespace}/${request.name} already exists on '${cache.name}'`);

  const writer = cache.connection.writerAs(ctx.identity);
  const dryRun = await applyManifests(cache, plan.objects, { dryRun: true }, writer);
  if (!dryRun.ok) throw toGraphQLError(dryRun.error, `namespace ${request.namespace}`);
  if (request.dryRun) return { operation: null, cluster: null, manifests: plan.objects, dryRun: true };

  const applied = await applyManifests(cache, plan.objects, {}, writer);
  if (!applied.ok) throw toGraphQLError(applied.error, `namespace ${request.namespace}`);
  const operation = await recordOperation(ctx, {
    managementCluster: cache.name,
    namespace: request.namespace,
    type: 'CreateCluster',
    target: address,
    input: recordedInput(request, plan.objects),
  });
  const cluster = applied.value.find(isCluster);
  return {
    operation,
    cluster: cluster ? normaliseCluster(cluster, cache.name) : null,
    manifests: plan.objects,
    dryRun: false,
  };
}

/** `templateVariables(template)`: like `clusterctl generate cluster --list-variables`. */
export function templateVariables(template: string): TemplateVariable[] {
  return listTemplateVariables(template);
}

/**
 * With authentication, a ClusterClass the caller may not list answers exactly as a missing one:
 * the plan itself reads the shared cache, whose answer must not reach this caller.
 */
function assertClassVisible(
  ctx: GatewayContext,
  managementCluster: string,
  request: CreateClusterRequest,
): void {
  if (!ctx.access || !request.clusterClass) return;
  const namespace = request.classNamespace || request.namespace;
  const address: ObjectAddress = {
    managementCluster,
    group: 'cluster.x-k8s.io',
    kind: 'ClusterClass',
    namespace,
    name: request.clusterClass,
  };
  if (ctx.reader.get(address)) return;
  throw new ValidationError('the cluster cannot be created as requested', [
    {
      path: 'clusterClass',
      message: `no ClusterClass '${request.clusterClass}' in namespace '${namespace}' on '${managementCluster}'`,
    },
  ]);
}
