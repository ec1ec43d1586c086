/**
 * A Cluster's v1beta2 conditions (CAPI v1.14's set): deletion, infrastructure, control plane,
 * the worker and machine summaries, and Available from the ones that gate it. Pure: facts in,
 * ConditionInput list out.
 */
import type { ConditionInput } from '../conditions.ts';
import type { ReplicaCounts } from '../replica-status.ts';
import type { RefState } from './common.ts';

interface RefName {
  kind?: string;
  name?: string;
}

/** Deleting: the step the deletion waits on, or completed. */
export function clusterDeletingCondition(
  step: { reason: string; message: string } | undefined,
): ConditionInput {
  return {
    type: 'Deleting',
    status: true,
    reason: step?.reason ?? 'DeletionCompleted',
    message: step?.message ?? 'Deletion completed',
  };
}

export function clusterInfrastructureReadyCondition(
  provisioned: boolean,
  state: RefState,
  ref: RefName | undefined,
): ConditionInput {
  return provisioned
    ? {
        type: 'InfrastructureReady',
        status: true,
        reason: state === 'none' ? 'NoInfrastructure' : 'Ready',
      }
    : state === 'missing'
      ? {
          type: 'InfrastructureReady',
          status: false,
          reason: 'InfrastructureDoesNotExist',
          message: `${ref?.kind} ${ref?.name} does not exist`,
        }
      : {
          type: 'InfrastructureReady',
          status: false,
          reason: 'NotReady',
          message: 'Waiting for the cluster infrastructure to be provisioned',
        };
}

/** ControlPlaneInitialized, ControlPlaneAvailable and RemoteConnectionProbe. */
export function clusterControlPlaneConditions(facts: {
  initialized: boolean;
  state: RefState;
  ref: RefName | undefined;
  available: boolean;
  availableMessage: string | undefined;
}): ConditionInput[] {
  const { initialized, state, ref, available, availableMessage } = facts;
  return [
    initialized
      ? { type: 'ControlPlaneInitialized', status: true, reason: 'Initialized' }
      : state === 'missing'
        ? {
            type: 'ControlPlaneInitialized',
            status: false,
            reason: 'ControlPlaneDoesNotExist',
            message: `${ref?.kind} ${ref?.name} does not exist`,
          }
        : {
            type: 'ControlPlaneInitialized',
            status: false,
            reason: 'NotInitialized',
            message: 'Control plane not yet initialized',
          },
    available
      ? { type: 'ControlPlaneAvailable', status: true, reason: 'Available' }
      : {
          type: 'ControlPlaneAvailable',
          status: false,
          reason: 'NotAvailable',
          message: availableMessage || 'Control plane not available',
        },
    initialized
      ? { type: 'RemoteConnectionProbe', status: true, reason: 'ProbeSucceeded' }
      : {
          type: 'RemoteConnectionProbe',
          status: false,
          reason: 'ProbeFailed',
          message: 'Remote connection not established yet',
        },
  ];
}

export interface ClusterWorkerFacts {
  /** MachineDeployments and MachinePools of the cluster. */
  workerPools: number;
  unavailablePools: Array<string | undefined>;
  controlPlaneMachines: ReplicaCounts;
  workerMachines: ReplicaCounts;
  /** "Kind name" of the control plane, deployments and pools with this condition True. */
  withCondition: (type: string) => string[];
}

/** WorkersAvailable, the machine summaries, and the rollout / scaling / remediation roll-ups. */
export function clusterWorkerConditions(facts: ClusterWorkerFacts): ConditionInput[] {
  const { workerPools, unavailablePools, controlPlaneMachines, workerMachines, withCondition } = facts;
  const flag = (type: string, trueReason: string, falseReason: string): ConditionInput => {
    const who = withCondition(type);
    return who.length > 0
      ? { type, status: true, reason: trueReason, message: who.join(', ') }
      : { type, status: false, reason: falseReason };
  };
  const summary = (
    type: string,
    counts: ReplicaCounts,
    field: 'readyReplicas' | 'upToDateReplicas',
    trueReason: string,
    falseReason: string,
  ): ConditionInput =>
    counts[field] === counts.replicas
      ? { type, status: true, reason: counts.replicas === 0 ? 'NoReplicas' : trueReason }
      : {
          type,
          status: false,
          reason: falseReason,
          message: `${counts.replicas - counts[field]} of ${counts.replicas} Machines`,
        };
  return [
    unavailablePools.length === 0
      ? {
          type: 'WorkersAvailable',
          status: true,
          reason: workerPools === 0 ? 'NoWorkers' : 'Available',
        }
      : {
          type: 'WorkersAvailable',
          status: false,
          reason: 'NotAvailable',
          message: `MachineDeployments ${unavailablePools.join(', ')} not available`,
        },
    summary('ControlPlaneMachinesReady', controlPlaneMachines, 'readyReplicas', 'Ready', 'NotReady'),
    summary('WorkerMachinesReady', workerMachines, 'readyReplicas', 'Ready', 'NotReady'),
    summary(
      'ControlPlaneMachinesUpToDate',
      controlPlaneMachines,
      'upToDateReplicas',
      'UpToDate',
      'NotUpToDate',
    ),
    summary('WorkerMachinesUpToDate', workerMachines, 'upToDateReplicas', 'UpToDate', 'NotUpToDate'),
    flag('RollingOut', 'RollingOut', 'NotRollingOut'),
    flag('ScalingUp', 'ScalingUp', 'NotScalingUp'),
    flag('ScalingDown', 'ScalingDown', 'NotScalingDown'),
    flag('Remediating', 'Remediating', 'NotRemediating'),
  ];
}

/** The conditions whose falsity makes a Cluster not Available (CAPI's default availability gates). */
const AVAILABILITY_GATES = [
  'InfrastructureReady',
  'ControlPlaneAvailable',
  'WorkersAvailable',
  'RemoteConnectionProbe',
  'TopologyReconciled',
];

/** Available: every gate True, or the gates that are not, with their messages. */
export function clusterAvailableCondition(conditions: ConditionInput[]): ConditionInput {
  const blocking = conditions.filter((c) => AVAILABILITY_GATES.includes(c.type) && c.status !== true);
  return blocking.length === 0
    ? { type: 'Available', status: true, reason: 'Available' }
    : {
        type: 'Available',
        status: false,
        reason: 'NotAvailable',
        message: blocking.map((c) => `${c.type}: ${c.message || c.reason}`).join('; '),
      };
}
