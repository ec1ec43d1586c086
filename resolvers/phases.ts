/**
 * CAPI's phases, spelled as CAPI writes them (the v1beta2 CRDs' enums in ../shared/capi/crds;
 * `Failed` is deprecated and no longer set, but the CRDs still accept it). MachineSets have
 * no phase.
 */
export const clusterPhases = [
  'Pending',
  'Provisioning',
  'Provisioned',
  'Deleting',
  'Failed',
  'Unknown',
] as const;
export const machinePhases = [
  'Pending',
  'Provisioning',
  'Provisioned',
  'Running',
  'Updating',
  'Deleting',
  'Deleted',
  'Failed',
  'Unknown',
] as const;
export const machineDeploymentPhases = ['ScalingUp', 'ScalingDown', 'Running', 'Failed', 'Unknown'] as const;
export const machinePoolPhases = [
  'Pending',
  'Provisioning',
  'Provisioned',
  'Running',
  'ScalingUp',
  'ScalingDown',
  'Scaling',
  'Deleting',
  'Failed',
  'Unknown',
] as const;

export type ClusterPhase = (typeof clusterPhases)[number];
export type MachinePhase = (typeof machinePhases)[number];
export type MachineDeploymentPhase = (typeof machineDeploymentPhases)[number];
export type MachinePoolPhase = (typeof machinePoolPhases)[number];

/**
 * The phase as the schema's enum knows it: null when the object has none yet (no status), and
 * `Unknown` — CAPI's own word for "cannot tell" — for a value this gateway does not know (a
 * newer CAPI, a provider writing its own): one unexpected object never fails a query.
 */
export function phaseOf<P extends string>(phases: readonly P[]): (phase: string | null) => P | null {
  const known = new Set<string>(phases);
  return (phase) => (phase === null ? null : known.has(phase) ? (phase as P) : ('Unknown' as P));
}

export const clusterPhaseOf = phaseOf(clusterPhases);
export const machinePhaseOf = phaseOf(machinePhases);
export const machineDeploymentPhaseOf = phaseOf(machineDeploymentPhases);
export const machinePoolPhaseOf = phaseOf(machinePoolPhases);
