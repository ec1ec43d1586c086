import type { FieldViolation } from '../k8s/domain-error.ts';
import type { KubeObject } from '../k8s/kube-object.ts';

export interface WorkerRequest {
  name: string;
  /** The ClusterClass's worker class (a MachineDeployment or MachinePool class). */
  class: string;
  replicas: number;
}

/** createCluster's input: from a ClusterClass (clusterClass …) or from a clusterctl template. */
export interface CreateClusterRequest {
  managementCluster: string;
  namespace: string;
  name: string;
  clusterClass?: string | null;
  /** Where the ClusterClass is (default: the Cluster's namespace). */
  classNamespace?: string | null;
  kubernetesVersion?: string | null;
  controlPlaneReplicas?: number | null;
  workers?: readonly WorkerRequest[] | null;
  /** ClusterClass variables (any JSON), or template variables (strings). */
  variables?: Record<string, unknown> | null;
  /** A clusterctl-style template (multi-document YAML with ${VARIABLES}). */
  template?: string | null;
}

/** What a create writes: the objects in the order they are applied, or why it cannot. */
export type CreatePlan = { ok: true; objects: KubeObject[] } | { ok: false; violations: FieldViolation[] };
