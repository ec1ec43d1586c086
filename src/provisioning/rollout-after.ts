/**
 * A forced rollout: `spec.rollout.after` (v1beta1: `spec.rolloutAfter`) set to a moment,
 * after which CAPI replaces every machine created before it — KCP one machine at a time,
 * a MachineDeployment through a new MachineSet even for an unchanged template.
 *
 * Kubernetes keeps creation timestamps to the second, and the operation tells old machines
 * from new ones by comparing them with the moment. So the moment is the current whole second
 * (already passed: controllers act at once) unless a machine was created within this very
 * second — then it is the next one, so that machine still counts as old (and controllers,
 * as CAPI's do, requeue until it passes). Machines created for the rollout always have a
 * timestamp at or after the moment.
 */
import { pausedAnnotation } from '../capi/kinds.ts';
import type { ClusterView, ControlPlaneView, MachineDeploymentView, MachineView } from '../capi/views.ts';
import type { DomainError, Result } from '../k8s/domain-error.ts';
import { FIELD_MANAGER, requireTarget, type ManagementClusterWrites } from './management-cluster-writes.ts';

export type RolloutTargetView = ControlPlaneView | MachineDeploymentView;

/** The rollout moment for a request made at `now` over `machines` (see above). */
export function rolloutMoment(now: Date, machines: readonly MachineView[]): string {
  const second = Math.floor(now.getTime() / 1000) * 1000;
  const youngest = machines.some((m) => m.createdAt !== null && Date.parse(m.createdAt) >= second);
  return new Date(youngest ? second + 1000 : second).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Machines still created before the rollout moment (the ones it has yet to replace). */
export function machinesBefore(machines: readonly MachineView[], after: string): MachineView[] {
  const moment = Date.parse(after);
  return machines.filter((m) => m.createdAt === null || Date.parse(m.createdAt) < moment);
}

function refusal(cluster: ClusterView | null, view: RolloutTargetView): DomainError | null {
  if (view.deletionTimestamp)
    return { code: 'CONFLICT', message: `${view.address.kind} ${view.address.name} is being deleted` };
  if (!cluster) return null;
  if (cluster.deletionTimestamp)
    return { code: 'CONFLICT', message: `Cluster ${cluster.address.name} is being deleted` };
  if (cluster.paused || view.annotations[pausedAnnotation] !== undefined)
    return { code: 'CONFLICT', message: `Cluster ${cluster.address.name} is paused: resume it first` };
  return null;
}

/** Writes the rollout moment; answers it. */
export async function requestRollout(
  writes: ManagementClusterWrites,
  view: RolloutTargetView,
  cluster: ClusterView | null,
  machines: readonly MachineView[],
  now: Date,
): Promise<Result<{ after: string }>> {
  const refused = refusal(cluster, view);
  if (refused) return { ok: false, error: refused };
  const target = requireTarget(writes, view.address);
  if (!target.ok) return target;
  const after = rolloutMoment(now, machines);
  const spec = target.value.version === 'v1beta1' ? { rolloutAfter: after } : { rollout: { after } };
  const key = { namespace: view.address.namespace, name: view.address.name };
  const current = await writes.writer.read(target.value, key);
  if (!current.ok) return current;
  if (current.value.metadata.uid !== view.uid)
    return {
      ok: false,
      error: { code: 'NOT_FOUND', message: `${view.address.kind} ${view.address.name} was replaced` },
    };
  const patched = await writes.writer.mergePatch(
    target.value,
    key,
    { spec },
    { resourceVersion: current.value.metadata.resourceVersion, fieldManager: FIELD_MANAGER },
  );
  return patched.ok ? { ok: true, value: { after } } : patched;
}
