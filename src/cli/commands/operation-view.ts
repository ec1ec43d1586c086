/** How an operation reads on a terminal: its target, its phase in colour. */
import type { OperationFieldsFragment, OperationPhase } from '../../../client/index.ts';
import type { Paint } from './output.ts';

/** "Kind namespace/name" of what it changes, else the last part of its target ID, else <none>. */
export function targetOf(op: OperationFieldsFragment): string {
  const t = op.target;
  if (t && 'kind' in t) return `${t.kind} ${t.namespace}/${t.name}`;
  return op.targetId ?? '<none>';
}

export function phaseCell(phase: OperationPhase, paint: Paint): string {
  if (phase === 'SUCCEEDED') return paint('green', phase);
  if (phase === 'FAILED') return paint('red', phase);
  // Under way yellow, as a CAPI phase under way (phase-cell.ts).
  if (phase === 'CANCELLED' || phase === 'RUNNING') return paint('yellow', phase);
  return phase;
}

export const isFinished = (phase: OperationPhase): boolean =>
  phase === 'SUCCEEDED' || phase === 'FAILED' || phase === 'CANCELLED';
