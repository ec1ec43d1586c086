import type { EnumRef } from '@pothos/core';
import {
  clusterPhaseOf,
  clusterPhases,
  machineDeploymentPhaseOf,
  machineDeploymentPhases,
  machinePhaseOf,
  machinePhases,
  machinePoolPhaseOf,
  machinePoolPhases,
} from '../../resolvers/phases.ts';
import { builder } from '../builder.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const unknownNote =
  'Values are spelled as Cluster API writes them; a value this gateway does not know reads as `Unknown`, an object without a phase yet as null.';

/** How each phase enum reads the phase a view holds before it serialises it (schema/index.ts). */
export const phaseReaders: Record<string, (phase: string) => string | null> = {};

/**
 * A phase enum whose fields are read straight off the views (no resolver: graphql-jit reads such
 * a field inline, where a resolver costs a call, a resolve info and a response path per object).
 * Views keep the phase as Cluster API wrote it, so the enum takes any string as output: its
 * serialiser writes a phase this gateway does not know as `Unknown` (`read`, registered in
 * `phaseReaders` and applied by schema/index.ts). As input it is the enum's values only.
 */
function phaseEnum<P extends string>(
  kind: string,
  values: readonly P[],
  read: (phase: string) => P | null,
): EnumRef<Types, string, P> {
  const name = `${kind}Phase`;
  phaseReaders[name] = read;
  const description = `A ${kind}'s status.phase. ${unknownNote}`;
  return builder.enumType(name, { description, values }) as unknown as EnumRef<Types, string, P>;
}

export const ClusterPhaseEnum = phaseEnum('Cluster', clusterPhases, clusterPhaseOf);
export const MachinePhaseEnum = phaseEnum('Machine', machinePhases, machinePhaseOf);
export const MachineDeploymentPhaseEnum = phaseEnum(
  'MachineDeployment',
  machineDeploymentPhases,
  machineDeploymentPhaseOf,
);
export const MachinePoolPhaseEnum = phaseEnum('MachinePool', machinePoolPhases, machinePoolPhaseOf);
