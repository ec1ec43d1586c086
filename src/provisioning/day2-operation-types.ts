/** The day-2 operation types (scale, upgrade, rollout, machine and worker-pool changes), for the registry. */
import { deleteMachineOperation } from './delete-machine-operation.ts';
import { fleetUpgradeOperation } from './fleet-upgrade-operation.ts';
import type { OperationType } from './operations/operation-type.ts';
import { rolloutOperations } from './rollout-operation.ts';
import { scaleOperations } from './scale-operation.ts';
import { upgradeOperation } from './upgrade-operation.ts';
import { addMachineDeploymentOperation, removeMachineDeploymentOperation } from './worker-pool-operations.ts';

export const day2OperationTypes: readonly OperationType[] = [
  ...scaleOperations,
  upgradeOperation,
  fleetUpgradeOperation,
  ...rolloutOperations,
  deleteMachineOperation,
  addMachineDeploymentOperation,
  removeMachineDeploymentOperation,
];
