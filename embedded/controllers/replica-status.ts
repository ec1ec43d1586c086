/** Counting machines the way CAPI's v1beta2 status does, shared by KCP, MD, MS and Cluster. */
import type { KubeObject } from '../apiserver/admission.ts';
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
