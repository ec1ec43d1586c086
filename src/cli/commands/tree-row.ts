/** One row of the describe tree, and a machine's row (clusterctl's v1beta2 row descriptor). */
import type { ConditionFieldsFragment, MachineRowFragment } from '../../../client/index.ts';

export interface TreeRow {
  name: string;
  replicas: string;
  available: string;
  ready: string;
  upToDate: string;
  condition: ConditionFieldsFragment | undefined;
  /** Set for a group: `See m1, m2`. */
  message?: string;
  children: TreeRow[];
}

export const conditionOf = (conditions: ConditionFieldsFragment[], ...types: string[]) =>
  types.map((t) => conditions.find((c) => c.type === t)).find((c) => c !== undefined);

/** A machine's counters are its own Available, Ready and UpToDate conditions (1 or 0). */
export function machineRow(m: MachineRowFragment): TreeRow {
  const is = (type: string) => (conditionOf(m.conditions, type)?.status === 'True' ? '1' : '0');
  return {
    name: `Machine/${m.name}`,
    replicas: '',
    available: is('Available'),
    ready: is('Ready'),
    upToDate: is('UpToDate'),
    condition: conditionOf(m.conditions, 'Ready'),
    children: [],
  };
}
