/**
 * A CAPI phase (a Cluster's, a Machine's, a MachineDeployment's) in colour: done green, failed
 * red, on its way yellow. The text is always there, so colour only adds to it.
 */
import type { Paint } from './output.ts';

const done = new Set(['Provisioned', 'Running']);
const failed = new Set(['Failed']);
const underWay = new Set(['Pending', 'Provisioning', 'Deleting', 'ScalingUp', 'ScalingDown']);

export function phaseCell(phase: string | null | undefined, paint: Paint): string {
  if (!phase) return '<none>';
  if (done.has(phase)) return paint('green', phase);
  if (failed.has(phase)) return paint('red', phase);
  if (underWay.has(phase)) return paint('yellow', phase);
  return phase;
}
