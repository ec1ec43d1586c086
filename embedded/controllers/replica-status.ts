/** Counting machines the way CAPI's v1beta2 status does, shared by KCP, MD, MS and Cluster. */
import type { KubeObject } from '../apiserver/admission.ts';
import type { ConditionInput } from './conditions.ts';
import { isConditionTrue } from './conditions.ts';
import { compareKubernetesVersions } from './kubernetes-version.ts';
import { stringField, stringMapField } from './object-fields.ts';

export interface ReplicaCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  upToDateReplicas: number;
  versions: Array<{ version: string; replicas: number }>;
}

export function countMachines(machines: KubeObject[]): ReplicaCounts {
  const versions = new Map<string, number>();
  let ready = 0;
  let available = 0;
  let upToDate = 0;
  for (const machine of machines) {
    if (isConditionTrue(machine.status, 'Ready')) ready++;
    if (isConditionTrue(machine.status, 'Available')) available++;
    if (isConditionTrue(machine.status, 'UpToDate')) upToDate++;
    const version = stringField(machine, 'spec.version');
    if (version) versions.set(version, (versions.get(version) ?? 0) + 1);
  }
  return {
    replicas: machines.length,
    readyReplicas: ready,
    availableReplicas: available,
    upToDateReplicas: upToDate,
    versions: [...versions.entries()]
      .sort(([a], [b]) => compareKubernetesVersions(a, b))
      .map(([version, replicas]) => ({ version, replicas })),
  };
}

export function selectorString(object: KubeObject, path = 'spec.selector.matchLabels'): string {
  return Object.entries(stringMapField(object, path))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => (value === '' ? key : `${key}=${value}`))
    .join(',');
}

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

/** `versions` has minItems 1 in the CRDs: omit it when there are no machines. */
export function versionsField(versions: Array<{ version: string; replicas: number }>): {
  versions?: Array<{ version: string; replicas: number }>;
} {
  return versions.length > 0 ? { versions } : {};
}

export function setVersions(
  status: Record<string, unknown>,
  versions: Array<{ version: string; replicas: number }>,
): void {
  if (versions.length > 0) status.versions = versions;
  else delete status.versions;
}

/** Remediating, as MachineSets and MachineDeployments report it. */
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
