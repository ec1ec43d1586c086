/**
 * v1beta2 condition builders of the controllers whose status is computed in one go: the
 * KubeadmControlPlane's and the MachinePool's conditions and an InfraMachinePool's Ready (the machine summaries shared
 * by KCP, MachineDeployment, MachineSet and Cluster are in `replica-status.ts`; the deprecated
 * v1beta1 conditions in `legacy-conditions.ts`). Pure: inputs in, ConditionInput list out.
 */
import type { JsonRecord } from './object-fields.ts';
import { pausedCondition } from './cluster-lookup.ts';
import type { ConditionInput } from './conditions.ts';
import type { ReplicaCounts } from './replica-status.ts';

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
  bootstrapState: 'found' | 'missing' | 'pending' | 'none';
  infraProvisioned: boolean;
  infraState: 'found' | 'missing' | 'pending' | 'none';
  desired: number;
  ready: number;
  upToDate: number;
}

/** The MachinePool's conditions (CAPI v1.14's v1beta2 set). */
export function machinePoolConditions(facts: MachinePoolFacts): ConditionInput[] {
  const { dataSecretName, bootstrapState, infraProvisioned, infraState, desired, ready, upToDate } = facts;
  return [
    pausedCondition(false),
    { type: 'Deleting', status: false, reason: 'NotDeleting' },
    dataSecretName
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
          },
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
