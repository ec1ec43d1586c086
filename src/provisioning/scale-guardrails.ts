/**
 * Replica counts the gateway refuses before writing anything. The etcd rule is KCP's
 * webhook's (an even stacked-etcd member count loses quorum as easily as one fewer member);
 * the maximums are the operator's (gateway config `provisioning`), so one typo cannot ask a
 * provider for ten thousand machines.
 */
import type { ProvisioningLimits } from './provisioning-limits.ts';

/** One rejected input field (the same shape as resolvers' FieldViolation). */
export interface ReplicaViolation {
  path: string;
  message: string;
}

export type EtcdTopology = 'stacked' | 'external' | 'unknown';

export interface ControlPlaneScaleContext {
  /** KubeadmControlPlane with stacked etcd gets the odd-count rule; 'unknown' (other providers) does not. */
  etcd: EtcdTopology;
  limits: ProvisioningLimits;
}

function integerViolation(path: string, replicas: number): ReplicaViolation | null {
  return Number.isSafeInteger(replicas) ? null : { path, message: `${replicas} is not a whole number` };
}

/** Why `replicas` is not a valid control-plane size (empty: it is). */
export function controlPlaneReplicaViolations(
  replicas: number,
  context: ControlPlaneScaleContext,
  path = 'replicas',
): ReplicaViolation[] {
  const notInteger = integerViolation(path, replicas);
  if (notInteger) return [notInteger];
  const violations: ReplicaViolation[] = [];
  if (replicas < 1)
    violations.push({ path, message: `a control plane needs at least 1 replica, not ${replicas}` });
  else if (context.etcd === 'stacked' && replicas % 2 === 0)
    violations.push({
      path,
      message: `a control plane with stacked etcd needs an odd number of replicas (etcd quorum), not ${replicas}`,
    });
  if (replicas > context.limits.maxControlPlaneReplicas)
    violations.push({
      path,
      message: `at most ${context.limits.maxControlPlaneReplicas} control-plane replicas are allowed, not ${replicas}`,
    });
  return violations;
}

/** Why `replicas` is not a valid worker pool size (empty: it is). */
export function workerReplicaViolations(
  replicas: number,
  limits: ProvisioningLimits,
  path = 'replicas',
): ReplicaViolation[] {
  const notInteger = integerViolation(path, replicas);
  if (notInteger) return [notInteger];
  if (replicas < 0) return [{ path, message: `replicas cannot be negative (${replicas})` }];
  if (replicas > limits.maxWorkerReplicas)
    return [
      {
        path,
        message: `at most ${limits.maxWorkerReplicas} replicas per worker pool are allowed, not ${replicas}`,
      },
    ];
  return [];
}

/**
 * The etcd layout of a control-plane object as the API server returns it: KubeadmControlPlane
 * with `kubeadmConfigSpec.clusterConfiguration.etcd.external` is external, any other
 * KubeadmControlPlane stacked; other providers are unknown (their own rules apply).
 */
export function etcdTopologyOf(object: { kind: string; spec?: unknown }): EtcdTopology {
  if (object.kind !== 'KubeadmControlPlane') return 'unknown';
  const spec = object.spec as
    { kubeadmConfigSpec?: { clusterConfiguration?: { etcd?: { external?: unknown } } } } | undefined;
  const external = spec?.kubeadmConfigSpec?.clusterConfiguration?.etcd?.external;
  return external !== undefined && external !== null ? 'external' : 'stacked';
}
