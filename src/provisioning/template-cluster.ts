import type { ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import type { FieldViolation } from '../k8s/domain-error.ts';
import type { KubeObject } from '../k8s/kube-object.ts';
import type { CreateClusterRequest, CreatePlan } from './create-cluster-request.ts';
import { renderTemplate } from './render-template.ts';
import { isNamespaced } from './manifest-targets.ts';

/** The variables `clusterctl generate cluster` sets from its arguments and flags. */
function derivedVariables(request: CreateClusterRequest): Record<string, string> {
  return {
    CLUSTER_NAME: request.name,
    NAMESPACE: request.namespace,
    ...(request.kubernetesVersion ? { KUBERNETES_VERSION: request.kubernetesVersion } : {}),
    ...(request.controlPlaneReplicas
      ? { CONTROL_PLANE_MACHINE_COUNT: String(request.controlPlaneReplicas) }
      : {}),
    ...(request.workers?.length === 1 ? { WORKER_MACHINE_COUNT: String(request.workers[0]!.replicas) } : {}),
  };
}

function stringVariables(variables: Record<string, unknown>): {
  values: Record<string, string>;
  violations: FieldViolation[];
} {
  const values: Record<string, string> = {};
  const violations: FieldViolation[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === 'string') values[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[name] = String(value);
    else violations.push({ path: `variables.${name}`, message: 'template variables are strings' });
  }
  return { values, violations };
}

/**
 * Renders a clusterctl-style template as `clusterctl generate cluster` does: its variables,
 * then CLUSTER_NAME / NAMESPACE / … from the request, and the namespace filled in on every
 * namespaced object that names none. Every missing variable is reported at once.
 */
export function planTemplateCluster(
  cache: ManagementClusterCache,
  request: CreateClusterRequest,
): CreatePlan {
  const given = stringVariables(request.variables ?? {});
  if (given.violations.length > 0) return { ok: false, violations: given.violations };
  const rendered = renderTemplate(request.template!, { ...given.values, ...derivedVariables(request) });
  if (!rendered.ok) {
    if (rendered.error.kind === 'MissingVariables')
      return {
        ok: false,
        violations: rendered.error.variables.map((name) => ({
          path: `variables.${name}`,
          message: 'is used by the template and has no value or default',
        })),
      };
    return { ok: false, violations: [{ path: 'template', message: rendered.error.message }] };
  }
  const objects: KubeObject[] = [];
  const violations: FieldViolation[] = [];
  for (const [i, object] of rendered.objects.entries()) {
    const name = object.metadata.name;
    if (typeof name !== 'string' || !name) {
      violations.push({ path: `template[${i}].metadata.name`, message: `${object.kind} has no name` });
      continue;
    }
    const namespaced = isNamespaced(cache, object);
    if (namespaced === null) {
      violations.push({
        path: `template[${i}]`,
        message: `${object.kind} (${object.apiVersion}) is not served by management cluster '${cache.name}'`,
      });
      continue;
    }
    const metadata = { ...object.metadata, name } as KubeObject['metadata'];
    if (namespaced) metadata.namespace = object.metadata.namespace || request.namespace;
    else delete metadata.namespace;
    if (namespaced && metadata.namespace !== request.namespace)
      violations.push({
        path: `template[${i}].metadata.namespace`,
        message: `${object.kind} ${name} is in namespace '${metadata.namespace}', not '${request.namespace}'`,
      });
    objects.push({ ...object, metadata });
  }
  const clusters = objects.filter(
    (o) => o.kind === 'Cluster' && o.apiVersion.startsWith('cluster.x-k8s.io/'),
  );
  if (violations.length === 0 && clusters.length !== 1)
    violations.push({
      path: 'template',
      message: `renders ${clusters.length} Cluster objects; exactly one is needed`,
    });
  else if (clusters[0] && clusters[0].metadata.name !== request.name)
    violations.push({
      path: 'template',
      message: `renders Cluster '${clusters[0].metadata.name}', not '${request.name}' (use \${CLUSTER_NAME})`,
    });
  return violations.length > 0 ? { ok: false, violations } : { ok: true, objects };
}
