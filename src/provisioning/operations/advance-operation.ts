import { isDeepStrictEqual } from 'node:util';
import type { DomainError, Result } from '../../k8s/domain-error.ts';
import type { OperationRecord, OperationStatus, StepStatus } from './operation-record.ts';
import type { OperationStep, OperationType, StepContext, StepOutcome } from './operation-type.ts';

/** Errors an action retries on the next pass instead of failing the operation. */
const transient: ReadonlySet<DomainError['code']> = new Set(['UNAVAILABLE', 'CONFLICT', 'GONE']);

export interface AdvanceContext extends Omit<StepContext, 'operation' | 'step'> {
  /** Written to status.drivenBy. */
  identity: string;
  /** Persists a status; answers the object as stored (its new resourceVersion) or why not. */
  persist(operation: OperationRecord, status: OperationStatus): Promise<Result<OperationRecord>>;
}

function clone(status: OperationStatus): OperationStatus {
  return structuredClone(status);
}

function progressOf(status: OperationStatus): number {
  const total = status.steps.length;
  if (total === 0) return status.phase === 'SUCCEEDED' ? 1 : 0;
  let sum = 0;
  for (const s of status.steps)
    sum += s.phase === 'SUCCEEDED' ? 1 : s.phase === 'RUNNING' ? (s.progress ?? 0) : 0;
  return Math.round((sum / total) * 1000) / 1000;
}

function finish(status: OperationStatus, phase: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', at: string): void {
  status.phase = phase;
  status.finishedAt = at;
  delete status.currentStep;
}

/** The step statuses for the type's steps, keeping what was persisted under the same names. */
function stepsFor(defs: readonly OperationStep[], persisted: StepStatus[]): StepStatus[] {
  const byName = new Map(persisted.map((s) => [s.name, s]));
  return defs.map((d) => byName.get(d.name) ?? { name: d.name, phase: 'PENDING' });
}

function applyOutcome(step: StepStatus, outcome: StepOutcome, at: string): void {
  if (outcome.state === 'done') {
    step.phase = 'SUCCEEDED';
    step.finishedAt = at;
    delete step.progress;
    if (outcome.message) step.message = outcome.message;
    else delete step.message;
    return;
  }
  step.message = outcome.message;
  if (outcome.state === 'failed') {
    step.phase = 'FAILED';
    step.finishedAt = at;
    return;
  }
  if (outcome.progress === undefined) delete step.progress;
  else step.progress = outcome.progress;
}

type StepRun = 'next' | 'stop';

async function runStep(
  def: OperationStep,
  step: StepStatus,
  status: OperationStatus,
  ctx: StepContext,
  at: string,
): Promise<StepRun> {
  if (step.phase === 'PENDING') {
    step.phase = 'RUNNING';
    step.startedAt = at;
  }
  status.currentStep = step.name;
  if (def.act && !step.acted) {
    const acted = await def.act(ctx);
    if (!acted.ok) {
      // Writes go as the requester: a 403 is the API server's RBAC refusing them, said as such.
      step.message =
        acted.error.code === 'FORBIDDEN' ? `Forbidden: ${acted.error.message}` : acted.error.message;
      if (transient.has(acted.error.code)) return 'stop';
      step.phase = 'FAILED';
      step.finishedAt = at;
      return 'stop';
    }
    step.acted = true;
    if (acted.value?.writtenGeneration !== undefined) step.writtenGeneration = acted.value.writtenGeneration;
    if (acted.value?.message) step.message = acted.value.message;
    for (const child of acted.value?.children ?? [])
      if (!status.children.some((c) => isDeepStrictEqual(c, child))) status.children.push(child);
  }
  applyOutcome(step, await def.check({ ...ctx, step }), at);
  return step.phase === 'SUCCEEDED' ? 'next' : 'stop';
}

/**
 * Moves one operation as far as the management cluster's state allows: starts it, runs the
 * current step's action once, and goes on while checks say done. Stops at the first step
 * that waits, fails or asks to retry, at a cancel request, and persists only when the status
 * changed. Never waits on a clock: the next change event or resync calls it again.
 */
export async function advanceOperation(
  operation: OperationRecord,
  type: OperationType | undefined,
  ctx: AdvanceContext,
): Promise<Result<OperationRecord>> {
  const at = ctx.now().toISOString();
  const status = clone(operation.status);
  if (status.phase === 'PENDING') {
    status.phase = 'RUNNING';
    status.startedAt = at;
  }
  if (!type) {
    status.error = `no operation type '${operation.type}' is known to this gateway`;
    finish(status, 'FAILED', at);
  } else if (operation.cancelRequested) {
    for (const s of status.steps)
      if (s.phase === 'RUNNING' || s.phase === 'PENDING')
        Object.assign(s, { phase: 'CANCELLED', ...(s.phase === 'RUNNING' ? { finishedAt: at } : {}) });
    status.error = 'cancelled on request';
    finish(status, 'CANCELLED', at);
  } else {
    const defs = type.steps(operation);
    status.steps = stepsFor(defs, status.steps);
    const stepCtx: StepContext = { ...ctx, operation, step: status.steps[0]! };
    let i = status.steps.findIndex((s) => s.phase !== 'SUCCEEDED');
    while (i >= 0 && i < defs.length) {
      const step = status.steps[i]!;
      if (step.phase === 'FAILED') break;
      if ((await runStep(defs[i]!, step, status, { ...stepCtx, step }, at)) === 'stop') break;
      i += 1;
    }
    const failedStep = status.steps.find((s) => s.phase === 'FAILED');
    if (failedStep) {
      status.error = `${failedStep.name}: ${failedStep.message ?? 'failed'}`;
      finish(status, 'FAILED', at);
    } else if (status.steps.every((s) => s.phase === 'SUCCEEDED')) finish(status, 'SUCCEEDED', at);
  }
  status.progress = progressOf(status);
  status.drivenBy = ctx.identity;
  if (sameStatus(status, operation.status)) return { ok: true, value: operation };
  return ctx.persist(operation, status);
}

/** Equal but for who drives it: a new leader re-persisting an unchanged status is noise. */
function sameStatus(a: OperationStatus, b: OperationStatus): boolean {
  return isDeepStrictEqual({ ...a, drivenBy: '' }, { ...b, drivenBy: '' });
}
