/**
 * One row of the describe tree and clusterctl's row descriptor for it (CAPI v1.14,
 * internal/util/tree/tree.go newRowDescriptor / getRowName): which counters and which condition
 * each kind shows, and the row's name ("Kind namespace/name, version").
 */
import type { ConditionFieldsFragment, MachineRowFragment } from '../../../client/index.ts';

export interface TreeRow {
  name: string;
  replicas: string;
  available: string;
  ready: string;
  upToDate: string;
  /** The condition shown in STATUS, REASON, SINCE and MESSAGE. */
  condition: ConditionFieldsFragment | undefined;
  /** Replaces the condition's message: a group's "See m1, m2, ...". */
  message?: string;
  children: TreeRow[];
}

export const emptyCounters = { replicas: '', available: '', ready: '', upToDate: '' };

export const conditionOf = (conditions: ConditionFieldsFragment[], type: string) =>
  conditions.find((c) => c.type === type);

/** "Kind namespace/name[, version]", marked when the object is being deleted. */
export function rowName(
  kind: string,
  obj: { namespace: string; name: string; deletionTimestamp: string | null },
  version?: string | null,
): string {
  const name = `${kind} ${obj.namespace}/${obj.name}${version ? `, ${version}` : ''}`;
  return obj.deletionTimestamp ? `!! DELETED !! ${name}` : name;
}

const counter = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** MachineDeployment, MachineSet, control plane: replicas current/desired when desired is set. */
export function replicaCounters(obj: {
  desired: number | null;
  replicas: number | null;
  ready: number | null;
  available: number | null;
  upToDate: number | null;
}): Pick<TreeRow, 'replicas' | 'available' | 'ready' | 'upToDate'> {
  return {
    replicas: obj.desired === null ? '' : `${obj.replicas ?? 0}/${obj.desired}`,
    available: counter(obj.available),
    ready: counter(obj.ready),
    upToDate: counter(obj.upToDate),
  };
}

/** A machine: replicas 1; its Available, Ready and UpToDate conditions as 1 or 0; Ready shown. */
export function machineRow(m: MachineRowFragment, namespace: string): TreeRow {
  const is = (type: string) => (conditionOf(m.conditions, type)?.status === 'True' ? '1' : '0');
  return {
    name: rowName('Machine', { ...m, namespace }, m.version),
    replicas: '1',
    available: is('Available'),
    ready: is('Ready'),
    upToDate: is('UpToDate'),
    condition: conditionOf(m.conditions, 'Ready'),
    children: [],
  };
}
