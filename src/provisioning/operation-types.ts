import { day2OperationTypes } from './day2-operation-types.ts';
import type { OperationType } from './operations/operation-type.ts';

/** Every operation type the gateway drives (spec.type of its Operation objects). Add new ones here. */
export function defaultOperationTypes(): OperationType[] {
  return [...day2OperationTypes];
}
