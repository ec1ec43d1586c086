/**
 * Conditions every CAPI controller sets the same way: Paused, Deleting (when not deleting),
 * Remediating, the machine summaries (MachinesReady, MachinesUpToDate) shared by KCP,
 * MachineDeployment and MachineSet, and BootstrapConfigReady shared by Machine and MachinePool.
 * Pure: facts in, ConditionInput out.
 */
import type { ConditionInput } from '../conditions.ts';
import type { ReplicaCounts } from '../replica-status.ts';

export type RefState = 'found' | 'missing' | 'pending' | 'none';

export function pausedCondition(paused: boolean): { type: string; status: boolean; reason: string } {
  return { type: 'Paused', status: paused, reason: paused ? 'Paused' : 'NotPaused' };
}

export function notDeletingCondition(): ConditionInput {
  return { type: 'Deleting', status: false, reason: 'NotDeleting' };
}

export function remediatingCondition(remediating: number): ConditionInput {
  return remediating > 0
    ? {
        type: 'Remediating',
        status: true,
        reason: 'Remediating',
        message: `Remediating ${remediating} Machines`,
      }
    : { type: 'Remediating', status: false, reason: 'NotRemediating' };
}

/** BootstrapConfigReady of a Machine or a MachinePool: its bootstrap data secret exists. */
export function bootstrapConfigReadyCondition(
  dataSecretName: string | undefined,
  bootstrapState: RefState,
): ConditionInput {
  return dataSecretName
    ? { type: 'BootstrapConfigReady', status: true, reason: 'Ready' }
    : bootstrapState === 'missing'
      ? {
          type: 'BootstrapConfigReady',
          status: false,
          reason: 'BootstrapConfigDoesNotExist',
          message: 'Waiting for the bootstrap config to exist',
        }
      : {
          type: 'BootstrapConfigReady',
          status: false,
          reason: 'NotReady',
          message: 'Waiting for the bootstrap data secret',
        };
}

/** MachinesReady, MachinesUpToDate, ScalingUp and ScalingDown of a MachineDeployment or MachineSet. */
export function machineSummaryConditions(counts: ReplicaCounts, desired: number): ConditionInput[] {
  const notReady = counts.replicas - counts.readyReplicas;
  const notUpToDate = counts.replicas - counts.upToDateReplicas;
  return [
    counts.replicas === 0
      ? { type: 'MachinesReady', status: true, reason: 'NoReplicas' }
      : notReady === 0
        ? { type: 'MachinesReady', status: true, reason: 'Ready' }
        : {
            type: 'MachinesReady',
            status: false,
            reason: 'NotReady',
            message: `${notReady} of ${counts.replicas} Machines are not ready`,
          },
    counts.replicas === 0
      ? { type: 'MachinesUpToDate', status: true, reason: 'NoReplicas' }
      : notUpToDate === 0
        ? { type: 'MachinesUpToDate', status: true, reason: 'UpToDate' }
        : {
            type: 'MachinesUpToDate',
            status: false,
            reason: 'NotUpToDate',
            message: `${notUpToDate} of ${counts.replicas} Machines are not up-to-date`,
          },
    counts.replicas < desired
      ? {
          type: 'ScalingUp',
          status: true,
          reason: 'ScalingUp',
          message: `Scaling up from ${counts.replicas} to ${desired} replicas`,
        }
      : { type: 'ScalingUp', status: false, reason: 'NotScalingUp' },
    counts.replicas > desired
      ? {
          type: 'ScalingDown',
          status: true,
          reason: 'ScalingDown',
          message: `Scaling down from ${counts.replicas} to ${desired} replicas`,
        }
      : { type: 'ScalingDown', status: false, reason: 'NotScalingDown' },
  ];
}
