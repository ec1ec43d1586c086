import { createClusterOperation } from './create-cluster.ts';
import { day2OperationTypes } from './day2-operation-types.ts';
import { deleteClusterOperation } from './delete-cluster.ts';
import type { OperationType } from './operations/operation-type.ts';
import { pauseClusterOperation, resumeClusterOperation } from './pause-cluster.ts';
import { readKubeconfigOperation } from './kubeconfig-access.ts';

/** Every operation type the gateway drives (spec.type of its Operation objects). Add new ones here. */
export function defaultOperationTypes(): OperationType[] {
  return [
    createClusterOperation,
    pauseClusterOperation,
    resumeClusterOperation,
    deleteClusterOperation,
    ...day2OperationTypes,
    readKubeconfigOperation,
  ];
}
