import {
  clusterPhases,
  machineDeploymentPhases,
  machinePhases,
  machinePoolPhases,
} from '../../resolvers/phases.ts';
import { builder } from '../builder.ts';

const unknownNote =
  'Values are spelled as Cluster API writes them; a value this gateway does not know reads as `Unknown`, an object without a phase yet as null.';

export const ClusterPhaseEnum = builder.enumType('ClusterPhase', {
  description: `A Cluster's status.phase. ${unknownNote}`,
  values: clusterPhases,
});

export const MachinePhaseEnum = builder.enumType('MachinePhase', {
  description: `A Machine's status.phase. ${unknownNote}`,
  values: machinePhases,
});

export const MachineDeploymentPhaseEnum = builder.enumType('MachineDeploymentPhase', {
  description: `A MachineDeployment's status.phase. ${unknownNote}`,
  values: machineDeploymentPhases,
});

export const MachinePoolPhaseEnum = builder.enumType('MachinePoolPhase', {
  description: `A MachinePool's status.phase. ${unknownNote}`,
  values: machinePoolPhases,
});
