/** The KubeadmControlPlane's v1beta2 conditions. Pure: facts in, ConditionInput list out. */
import type { ConditionInput } from '../conditions.ts';
import type { JsonRecord } from '../object-fields.ts';
import type { ReplicaCounts } from '../replica-status.ts';
import { pausedCondition } from './common.ts';

export interface ControlPlaneFacts {
  counts: ReplicaCounts;
  desired: number;
  /** Machines not up to date (version, template, a passed rollout.after). */
  outdated: number;
  initialized: boolean;
  certificatesReady: boolean;
  remediation?: JsonRecord;
}

/** The KubeadmControlPlane's own conditions (CAPI v1.14 KCP's v1beta2 set). */
export function controlPlaneConditions(facts: ControlPlaneFacts): ConditionInput[] {
  const { counts, desired, outdated, initialized, certificatesReady, remediation } = facts;
  const allReady = counts.replicas > 0 && counts.readyReplicas === counts.replicas;
  return [
    initialized
      ? { type: 'Initialized', status: true, reason: 'Initialized' }
      : {
          type: 'Initialized',
          status: false,
          reason: 'NotInitialized',
          message: 'Control plane not yet initialized',
        },
    initialized && counts.readyReplicas > 0
      ? { type: 'Available', status: true, reason: 'Available' }
      : {
          type: 'Available',
          status: false,
          reason: 'NotAvailable',
          message: 'Waiting for a ready control plane machine',
        },
    ...(certificatesReady ? [{ type: 'CertificatesAvailable', status: true, reason: 'Available' }] : []),
    allReady
      ? { type: 'EtcdClusterHealthy', status: true, reason: 'Healthy' }
      : {
          type: 'EtcdClusterHealthy',
          status: 'Unknown',
          reason: 'InspectionFailed',
          message: 'Waiting for etcd members',
        },
    allReady
      ? { type: 'ControlPlaneComponentsHealthy', status: true, reason: 'Healthy' }
      : {
          type: 'ControlPlaneComponentsHealthy',
          status: 'Unknown',
          reason: 'InspectionFailed',
          message: 'Waiting for control plane components',
        },
    counts.replicas === 0
      ? { type: 'MachinesReady', status: true, reason: 'NoReplicas' }
      : allReady
        ? { type: 'MachinesReady', status: true, reason: 'Ready' }
        : {
            type: 'MachinesReady',
            status: false,
            reason: 'NotReady',
            message: `${counts.replicas - counts.readyReplicas} Machines are not ready`,
          },
    outdated === 0
      ? { type: 'MachinesUpToDate', status: true, reason: 'UpToDate' }
      : {
          type: 'MachinesUpToDate',
          status: false,
          reason: 'NotUpToDate',
          message: `${outdated} Machines are not up-to-date`,
        },
    outdated > 0
      ? {
          type: 'RollingOut',
          status: true,
          reason: 'RollingOut',
          message: `Rolling out ${outdated} not up-to-date replicas`,
        }
      : { type: 'RollingOut', status: false, reason: 'NotRollingOut' },
    counts.replicas < desired
      ? {
          type: 'ScalingUp',
          status: true,
          reason: 'ScalingUp',
          message: `Scaling up from ${counts.replicas} to ${desired} replicas`,
        }
      : { type: 'ScalingUp', status: false, reason: 'NotScalingUp' },
    counts.replicas > desired && outdated === 0
      ? {
          type: 'ScalingDown',
          status: true,
          reason: 'ScalingDown',
          message: `Scaling down from ${counts.replicas} to ${desired} replicas`,
        }
      : { type: 'ScalingDown', status: false, reason: 'NotScalingDown' },
    remediation
      ? {
          type: 'Remediating',
          status: true,
          reason: 'Remediating',
          message: `Remediating ${String(remediation.machine)}`,
        }
      : { type: 'Remediating', status: false, reason: 'NotRemediating' },
    { type: 'Deleting', status: false, reason: 'NotDeleting' },
    pausedCondition(false),
  ];
}
