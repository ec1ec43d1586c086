import { createHash } from 'node:crypto';
import type { ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import type { FieldViolation } from '../k8s/domain-error.ts';
import type { KubeObject } from '../k8s/kube-object.ts';
import { inDependencyOrder } from './apply-manifests.ts';
import type { CreateClusterRequest, CreatePlan } from './create-cluster-request.ts';
import { dnsLabelProblem } from './dns-names.ts';
import { planTemplateCluster } from './template-cluster.ts';
import { planTopologyCluster } from './topology-cluster.ts';

/** On the Cluster a create wrote: the digest of the request's manifests (a retry of the same request matches). */
export const createRequestAnnotation = 'capi-gateway.dev/create-request';

function requestViolations(request: CreateClusterRequest): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const field of ['namespace', 'name'] as const) {
    const problem = dnsLabelProblem(request[field]);
    if (problem) violations.push({ path: field, message: problem });
  }
  const fromClass = !!request.clusterClass;
  const fromTemplate = !!request.template;
  if (fromClass === fromTemplate)
    violations.push({
      path: fromClass ? 'template' : 'clusterClass',
      message: 'give either clusterClass (a topology Cluster) or template (a clusterctl template), not both',
    });
  return violations;
}

function digestOf(objects: readonly KubeObject[]): string {
  return createHash('sha256').update(JSON.stringify(objects)).digest('hex').slice(0, 32);
}

/**
 * Everything a create will write, in dependency order, with the Cluster marked by the
 * request's digest — or every reason it cannot, before anything is written.
 */
export function planCreateCluster(cache: ManagementClusterCache, request: CreateClusterRequest): CreatePlan {
  const violations = requestViolations(request);
  if (violations.length > 0) return { ok: false, violations };
  const plan = request.clusterClass
    ? planTopologyCluster(cache, request)
    : planTemplateCluster(cache, request);
  if (!plan.ok) return plan;
  const ordered = inDependencyOrder(plan.objects);
  const digest = digestOf(ordered);
  return {
    ok: true,
    objects: ordered.map((o) =>
      o.kind === 'Cluster' && o.apiVersion.startsWith('cluster.x-k8s.io/')
        ? {
            ...o,
            metadata: {
              ...o.metadata,
              annotations: { ...(o.metadata.annotations ?? {}), [createRequestAnnotation]: digest },
            },
          }
        : o,
    ),
  };
}
