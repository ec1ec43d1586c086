/**
 * Reconcilers as lists of small phases, the way Cluster API writes them
 * (`phases := []func(ctx, s *scope) (ctrl.Result, error){r.reconcileInfrastructure, …}`): each
 * phase is a named function of one scope object; the runner calls them in order, stops at the
 * first phase that says so, and keeps the earliest requeue asked for.
 */
import type { ReconcileResult } from './work-queue.ts';

export interface PhaseOutcome {
  /** Reconcile again after this long (the earliest of all phases wins). */
  requeueAfterMs?: number;
  /** Skip the remaining phases (paused, deleting, a write that must be retried first). */
  stop?: boolean;
}

export type Phase<Scope> = (scope: Scope) => Promise<PhaseOutcome | void>;

export const stop = (requeueAfterMs?: number): PhaseOutcome =>
  requeueAfterMs === undefined ? { stop: true } : { stop: true, requeueAfterMs };

export async function runPhases<Scope>(scope: Scope, phases: Array<Phase<Scope>>): Promise<ReconcileResult> {
  let requeueAfterMs: number | undefined;
  for (const phase of phases) {
    const outcome = await phase(scope);
    if (outcome?.requeueAfterMs !== undefined)
      requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, outcome.requeueAfterMs);
    if (outcome?.stop) break;
  }
  return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
}
