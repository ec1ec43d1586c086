/**
 * How far one step of an operation is, 0..1. The schema gives no per-step counts: a step is
 * done or not, and the operation's `progress` is "steps done, plus the current step's share as
 * the management cluster reports it" — so the running step's share is what progress has past
 * the steps done.
 */
import type { OperationFieldsFragment } from '../../../client/index.ts';

export function stepShare(op: OperationFieldsFragment, index: number): number {
  const step = op.steps[index]!;
  if (step.phase === 'SUCCEEDED') return 1;
  if (step.phase !== 'RUNNING') return 0;
  const done = op.steps.filter((s) => s.phase === 'SUCCEEDED').length;
  return Math.min(1, Math.max(0, op.progress * op.steps.length - done));
}
