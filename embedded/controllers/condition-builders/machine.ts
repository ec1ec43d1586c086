/**
 * A Machine's v1beta2 conditions (CAPI v1.14's set): infrastructure, the node, KCP's readiness
 * gates on control-plane machines, readiness and deletion. BootstrapConfigReady is shared with
 * MachinePools (`common.ts`). Pure: facts in, ConditionInput list out.
 */
import type { ConditionInput } from '../conditions.ts';
import type { RefState } from './common.ts';

export function machineDeletingConditions(): ConditionInput[] {
  return [
    {
      type: 'Deleting',
      status: true,
      reason: 'WaitingForInfrastructureDeletion',
      message: 'Deleting the machine',
    },
    { type: 'Ready', status: false, reason: 'Deleting' },
    { type: 'Available', status: false, reason: 'Deleting' },
  ];
}

/** InfrastructureReady: the InfraMachine is provisioned (its own Ready message while it is not). */
export function machineInfrastructureReadyCondition(
  provisioned: boolean,
  infraState: RefState,
  infraReadyMessage: string | undefined,
): ConditionInput {
  return provisioned
    ? { type: 'InfrastructureReady', status: true, reason: 'Ready' }
    : infraState === 'missing'
      ? {
          type: 'InfrastructureReady',
          status: false,
          reason: 'InfrastructureMachineDoesNotExist',
          message: 'Waiting for the infrastructure machine to exist',
        }
      : {
          type: 'InfrastructureReady',
          status: false,
          reason: 'NotReady',
          message: infraReadyMessage || 'Waiting for the infrastructure to be provisioned',
        };
}

/** NodeReady and NodeHealthy. */
export function nodeConditions(nodeUp: boolean, nodeReady: boolean): ConditionInput[] {
  if (!nodeUp)
    return [
      {
        type: 'NodeReady',
        status: 'Unknown',
        reason: 'NodeDoesNotExist',
        message: 'Waiting for a node with matching ProviderID to exist',
      },
      {
        type: 'NodeHealthy',
        status: 'Unknown',
        reason: 'NodeDoesNotExist',
        message: 'Waiting for a node with matching ProviderID to exist',
      },
    ];
  return nodeReady
    ? [
        { type: 'NodeReady', status: true, reason: 'NodeReady' },
        { type: 'NodeHealthy', status: true, reason: 'NodeHealthy' },
      ]
    : [
        {
          type: 'NodeReady',
          status: false,
          reason: 'NodeNotReady',
          message: 'Node Ready condition is False: kubelet stopped posting node status (simulated)',
        },
        { type: 'NodeHealthy', status: false, reason: 'NodeNotHealthy', message: 'Node is not ready' },
      ];
}

/** KCP's readiness gates on control-plane machines. */
export function controlPlaneComponentConditions(nodeUp: boolean): ConditionInput[] {
  return [
    nodeUp
      ? { type: 'NodeKubeadmLabelsAndTaintsSet', status: true, reason: 'Set' }
      : { type: 'NodeKubeadmLabelsAndTaintsSet', status: 'Unknown', reason: 'NodeDoesNotExist' },
    ...[
      'APIServerPodHealthy',
      'ControllerManagerPodHealthy',
      'SchedulerPodHealthy',
      'EtcdPodHealthy',
      'EtcdMemberHealthy',
    ].map((type): ConditionInput =>
      nodeUp
        ? { type, status: true, reason: type === 'EtcdMemberHealthy' ? 'Healthy' : 'Running' }
        : { type, status: 'Unknown', reason: 'InspectionFailed', message: 'Waiting for the node' },
    ),
  ];
}

/** Ready, Available, Updating and UpToDate. */
export function machineReadinessConditions(facts: {
  nodeReady: boolean;
  healthCheckFailed: boolean;
  upToDate: boolean;
}): ConditionInput[] {
  const { healthCheckFailed, upToDate } = facts;
  const ready = facts.nodeReady && !healthCheckFailed;
  return [
    ready
      ? { type: 'Ready', status: true, reason: 'Ready' }
      : {
          type: 'Ready',
          status: false,
          reason: 'NotReady',
          message: healthCheckFailed ? 'Machine health check failed' : 'Machine is not ready',
        },
    ready
      ? { type: 'Available', status: true, reason: 'Available' }
      : { type: 'Available', status: false, reason: 'NotReady' },
    { type: 'Updating', status: false, reason: 'NotUpdating' },
    upToDate
      ? { type: 'UpToDate', status: true, reason: 'UpToDate' }
      : {
          type: 'UpToDate',
          status: false,
          reason: 'NotUpToDate',
          message: "The machine does not match its owner's template",
        },
  ];
}
