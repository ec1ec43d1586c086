/**
 * A MachineSet's v1beta2 conditions (CAPI v1.14's set), including ScalingUp when creating
 * machines failed or the preflight checks hold them back, and the RemediationDeferred condition
 * it puts on the machines it may not remediate yet. Pure: facts in, ConditionInput list out.
 */
import type { ConditionInput } from '../conditions.ts';
import { blockedScaleUpMessage } from '../machine-set-preflight.ts';
import type { ReplicaCounts } from '../replica-status.ts';
import {
  machineSummaryConditions,
  notDeletingCondition,
  pausedCondition,
  remediatingCondition,
} from './common.ts';

/** ScalingUp True with the reason creating machines failed, or the preflight checks' messages. */
export function machineSetScalingUpCondition(facts: {
  problem: { reason: string; message: string } | undefined;
  blockedMessages: string[] | undefined;
  replicas: number;
  desired: number;
}): ConditionInput | undefined {
  const { problem, blockedMessages, replicas, desired } = facts;
  if (problem) return { type: 'ScalingUp', status: true, reason: problem.reason, message: problem.message };
  if (blockedMessages && replicas < desired)
    return {
      type: 'ScalingUp',
      status: true,
      reason: 'ScalingUp',
      message: blockedScaleUpMessage(replicas, desired, blockedMessages),
    };
  return undefined;
}

export function machineSetConditions(facts: {
  counts: ReplicaCounts;
  desired: number;
  /** Overrides the summary's ScalingUp (merged later wins). */
  scalingUp: ConditionInput | undefined;
  remediating: number;
}): ConditionInput[] {
  const { counts, desired, scalingUp, remediating } = facts;
  return [
    ...machineSummaryConditions(counts, desired),
    ...(scalingUp ? [scalingUp] : []),
    remediatingCondition(remediating),
    notDeletingCondition(),
    pausedCondition(false),
  ];
}

/** On a Machine whose remediation the preflight checks hold back. */
export function remediationDeferredCondition(messages: string[]): ConditionInput {
  return {
    type: 'OwnerRemediated',
    status: false,
    reason: 'RemediationDeferred',
    message: messages.map((m) => `* ${m}`).join('\n'),
  };
}
