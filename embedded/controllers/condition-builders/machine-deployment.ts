/** A MachineDeployment's v1beta2 conditions (CAPI v1.14's set). Pure: facts in, ConditionInput list out. */
import type { ConditionInput } from '../conditions.ts';
import type { ReplicaCounts } from '../replica-status.ts';
import { machineSummaryConditions, notDeletingCondition, pausedCondition } from './common.ts';

export interface MachineDeploymentFacts {
  counts: ReplicaCounts;
  replicas: number;
  maxUnavailable: number;
  rollingOut: boolean;
  /** Machines not up to date. */
  outdated: number;
}

export function machineDeploymentConditions(facts: MachineDeploymentFacts): ConditionInput[] {
  const { counts, replicas, maxUnavailable, rollingOut, outdated } = facts;
  return [
    counts.availableReplicas >= replicas - maxUnavailable
      ? { type: 'Available', status: true, reason: 'Available' }
      : {
          type: 'Available',
          status: false,
          reason: 'NotAvailable',
          message: `${counts.availableReplicas} available replicas, at least ${replicas - maxUnavailable} required`,
        },
    rollingOut
      ? {
          type: 'RollingOut',
          status: true,
          reason: 'RollingOut',
          message: `Rolling out ${outdated} not up-to-date replicas`,
        }
      : { type: 'RollingOut', status: false, reason: 'NotRollingOut' },
    ...machineSummaryConditions(counts, replicas),
    { type: 'Remediating', status: false, reason: 'NotRemediating' },
    notDeletingCondition(),
    pausedCondition(false),
  ];
}
