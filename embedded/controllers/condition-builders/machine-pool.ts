/**
 * The MachinePool's v1beta2 conditions and an InfraMachinePool's Ready. Pure: facts in,
 * ConditionInput list out.
 */
import type { ConditionInput } from '../conditions.ts';
import {
  bootstrapConfigReadyCondition,
  notDeletingCondition,
  pausedCondition,
  type RefState,
} from './common.ts';

/** An InfraMachinePool's Ready: all its instances booted. */
export function poolReadyCondition(instances: number, notReady: number): ConditionInput {
  return notReady === 0
    ? { type: 'Ready', status: true, reason: 'Ready' }
    : {
        type: 'Ready',
        status: false,
        reason: 'Provisioning',
        message: `${notReady} of ${instances} instances are booting`,
      };
}

export interface MachinePoolFacts {
  dataSecretName?: string;
  bootstrapState: RefState;
  infraProvisioned: boolean;
  infraState: RefState;
  desired: number;
  ready: number;
  upToDate: number;
}

/** The MachinePool's conditions (CAPI v1.14's v1beta2 set). */
export function machinePoolConditions(facts: MachinePoolFacts): ConditionInput[] {
  const { dataSecretName, bootstrapState, infraProvisioned, infraState, desired, ready, upToDate } = facts;
  return [
    pausedCondition(false),
    notDeletingCondition(),
    bootstrapConfigReadyCondition(dataSecretName, bootstrapState),
    infraProvisioned
      ? { type: 'InfrastructureReady', status: true, reason: 'Ready' }
      : infraState === 'missing' || infraState === 'none'
        ? {
            type: 'InfrastructureReady',
            status: false,
            reason: 'InfrastructureMachinePoolDoesNotExist',
            message: 'Waiting for the infrastructure machine pool to exist',
          }
        : {
            type: 'InfrastructureReady',
            status: false,
            reason: 'NotReady',
            message: 'Waiting for the infrastructure machine pool to be provisioned',
          },
    ...poolReplicaConditions(desired, ready, upToDate),
  ];
}

function poolReplicaConditions(desired: number, ready: number, upToDate: number): ConditionInput[] {
  return [
    ready >= desired
      ? { type: 'Available', status: true, reason: 'Available' }
      : {
          type: 'Available',
          status: false,
          reason: 'NotAvailable',
          message: `${ready} of ${desired} replicas are available`,
        },
    ready < desired
      ? {
          type: 'ScalingUp',
          status: true,
          reason: 'ScalingUp',
          message: `Scaling up from ${ready} to ${desired} replicas`,
        }
      : { type: 'ScalingUp', status: false, reason: 'NotScalingUp' },
    ready > desired
      ? {
          type: 'ScalingDown',
          status: true,
          reason: 'ScalingDown',
          message: `Scaling down from ${ready} to ${desired} replicas`,
        }
      : { type: 'ScalingDown', status: false, reason: 'NotScalingDown' },
    ready >= desired
      ? { type: 'MachinesReady', status: true, reason: ready === 0 ? 'NoReplicas' : 'Ready' }
      : {
          type: 'MachinesReady',
          status: false,
          reason: 'NotReady',
          message: `${desired - ready} of ${desired} replicas are not ready`,
        },
    { type: 'Remediating', status: false, reason: 'NotRemediating' },
    ready === upToDate
      ? { type: 'MachinesUpToDate', status: true, reason: ready === 0 ? 'NoReplicas' : 'UpToDate' }
      : {
          type: 'MachinesUpToDate',
          status: false,
          reason: 'NotUpToDate',
          message: `${ready - upToDate} of ${ready} replicas are not up-to-date`,
        },
  ];
}

export function machinePoolDeletingConditions(): ConditionInput[] {
  return [
    { type: 'Deleting', status: true, reason: 'Deleting', message: 'Deleting the machine pool' },
    { type: 'Available', status: false, reason: 'Deleting' },
  ];
}
