import semver from 'semver';
import { coreKinds } from '../capi/kinds.ts';
import type { ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import type { ClusterClassView } from '../capi/views.ts';
import type { FieldViolation } from '../k8s/domain-error.ts';
import type { KubeObject } from '../k8s/kube-object.ts';
import { validateClassVariables } from './class-variables.ts';
import type { CreateClusterRequest, CreatePlan } from './create-cluster-request.ts';
import { dnsLabelProblem } from './dns-names.ts';

function classOf(cache: ManagementClusterCache, namespace: string, name: string): ClusterClassView | null {
  const view = cache.get({ managementCluster: cache.name, ...coreKinds.ClusterClass, namespace, name });
  return view?.viewKind === 'ClusterClass' ? view : null;
}

/** `v1.30.1` as CAPI wants it (a leading v, full semver); null when it is one. */
export function kubernetesVersionProblem(version: string): string | null {
  if (!/^v\d+\.\d+\.\d+/.test(version) || !semver.valid(version))
    return `'${version}' is not a Kubernetes version like v1.30.1`;
  return null;
}

function workerViolations(request: CreateClusterRequest, clusterClass: ClusterClassView): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const classes = new Set(clusterClass.workerClasses.map((w) => w.class));
  const seen = new Set<string>();
  for (const [i, worker] of (request.workers ?? []).entries()) {
    const problem = dnsLabelProblem(worker.name);
    if (problem) violations.push({ path: `workers[${i}].name`, message: problem });
    if (seen.has(worker.name))
      violations.push({ path: `workers[${i}].name`, message: `'${worker.name}' is used twice` });
    seen.add(worker.name);
    if (!classes.has(worker.class))
      violations.push({
        path: `workers[${i}].class`,
        message: `ClusterClass ${clusterClass.address.name} has no worker class '${worker.class}' (it has: ${[...classes].join(', ') || 'none'})`,
      });
    if (!Number.isInteger(worker.replicas) || worker.replicas < 0)
      violations.push({ path: `workers[${i}].replicas`, message: 'must be a whole number ≥ 0' });
  }
  return violations;
}

function versionViolations(request: CreateClusterRequest, clusterClass: ClusterClassView): FieldViolation[] {
  const version = request.kubernetesVersion;
  if (!version) return [{ path: 'kubernetesVersion', message: 'is required with a ClusterClass' }];
  const problem = kubernetesVersionProblem(version);
  if (problem) return [{ path: 'kubernetesVersion', message: problem }];
  if (clusterClass.kubernetesVersions.length > 0 && !clusterClass.kubernetesVersions.includes(version))
    return [
      {
        path: 'kubernetesVersion',
        message: `ClusterClass ${clusterClass.address.name} allows only ${clusterClass.kubernetesVersions.join(', ')}`,
      },
    ];
  return [];
}

function replicaViolations(request: CreateClusterRequest): FieldViolation[] {
  const replicas = request.controlPlaneReplicas;
  if (replicas === undefined || replicas === null) return [];
  if (!Number.isInteger(replicas) || replicas < 1)
    return [{ path: 'controlPlaneReplicas', message: 'must be a whole number ≥ 1' }];
  // Stacked etcd needs a majority: an even count adds a member without adding tolerance.
  if (replicas % 2 === 0)
    return [
      {
        path: 'controlPlaneReplicas',
        message: 'must be odd (stacked etcd keeps quorum with an odd member count)',
      },
    ];
  return [];
}

/**
 * A topology Cluster from a ClusterClass, in the API version the management cluster serves
 * (v1beta2 `classRef`, else v1beta1 `class`), after checking everything CAPI's webhooks would.
 */
export function planTopologyCluster(
  cache: ManagementClusterCache,
  request: CreateClusterRequest,
): CreatePlan {
  const classNamespace = request.classNamespace || request.namespace;
  const clusterClass = classOf(cache, classNamespace, request.clusterClass!);
  if (!clusterClass)
    return {
      ok: false,
      violations: [
        {
          path: 'clusterClass',
          message: `no ClusterClass '${request.clusterClass}' in namespace '${classNamespace}' on '${cache.name}'`,
        },
      ],
    };
  const variables = validateClassVariables(clusterClass, request.variables ?? {});
  const violations = [
    ...versionViolations(request, clusterClass),
    ...replicaViolations(request),
    ...workerViolations(request, clusterClass),
    ...variables.violations,
  ];
  if (violations.length > 0) return { ok: false, violations };
  const served = cache.connection.crd(coreKinds.Cluster)?.servedVersions ?? [];
  const v1beta2 = served.includes('v1beta2') || served.length === 0;
  const byType = new Map(clusterClass.workerClasses.map((w) => [w.class, w.type]));
  const workers = request.workers ?? [];
  const pools = (type: 'MachineDeployment' | 'MachinePool') =>
    workers
      .filter((w) => byType.get(w.class) === type)
      .map((w) => ({ class: w.class, name: w.name, replicas: w.replicas }));
  const machineDeployments = pools('MachineDeployment');
  const machinePools = pools('MachinePool');
  const topology: Record<string, unknown> = {
    ...(v1beta2
      ? { classRef: { name: clusterClass.address.name, namespace: classNamespace } }
      : { class: clusterClass.address.name, classNamespace }),
    version: request.kubernetesVersion,
    ...(request.controlPlaneReplicas ? { controlPlane: { replicas: request.controlPlaneReplicas } } : {}),
    ...(workers.length > 0
      ? {
          workers: {
            ...(machineDeployments.length ? { machineDeployments } : {}),
            ...(machinePools.length ? { machinePools } : {}),
          },
        }
      : {}),
    ...(variables.values.length > 0 ? { variables: variables.values } : {}),
  };
  const cluster: KubeObject = {
    apiVersion: `cluster.x-k8s.io/${v1beta2 ? 'v1beta2' : 'v1beta1'}`,
    kind: 'Cluster',
    metadata: { name: request.name, namespace: request.namespace } as KubeObject['metadata'],
    spec: { topology },
  };
  return { ok: true, objects: [cluster] };
}
