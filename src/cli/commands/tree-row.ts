/**
 * One row of the describe tree and clusterctl's row descriptor for it (CAPI v1.14,
 * internal/util/tree/tree.go newRowDescriptor / getRowName): which counters and which condition
 * each kind shows, and the row's name ("Kind namespace/name, version").
 */
import type { ConditionFieldsFragment, MachineRowFragment } from '../../../client/index.ts';
import type { ConditionFilter } from './show-conditions.ts';

export interface TreeRow {
  name: string;
  /** The object's kind as `--show-conditions` matches it (virtual rows: WorkerGroup, OtherGroup). */
  kind: string;
  /** The object's name as `--show-conditions Kind/name` matches it. */
  objectName: string;
  /** A row standing for no object (Workers, Other): its name is printed as is. */
  virtual?: boolean;
  /** A group of machines ("3 Machines..."): never lists its conditions. */
  group?: boolean;
  replicas: string;
  available: string;
  ready: string;
  upToDate: string;
  /** The condition shown in STATUS, REASON, SINCE and MESSAGE. */
  condition: ConditionFieldsFragment | undefined;
  /** Replaces the condition's message: a group's "See m1, m2, ...". */
  message?: string;
  /** All of the object's conditions, as it stores them. */
  conditions: ConditionFieldsFragment[];
  /** Set by --show-conditions: list these conditions as rows and none on the object's own row. */
  showConditions?: ConditionFilter;
  /**
   * An infrastructure or bootstrap object under a machine or pool: clusterctl hides it when it
   * only echoes its owner's state (unless --echo).
   */
  noEcho?: boolean;
  children: TreeRow[];
}

export type Counters = Pick<TreeRow, 'replicas' | 'available' | 'ready' | 'upToDate'>;

export const emptyCounters: Counters = { replicas: '', available: '', ready: '', upToDate: '' };

export const conditionOf = (conditions: ConditionFieldsFragment[], type: string) =>
  conditions.find((c) => c.type === type);

export const deletedMark = '!! DELETED !!';

/**
 * "Kind namespace/name[, version]", marked when the object is being deleted. clusterctl adds the
 * version of a Machine, MachineSet, MachineDeployment and MachinePool even when it is empty, so
 * `version` is left out only when it is undefined.
 */
export function rowName(
  kind: string,
  obj: { namespace: string; name: string; deletionTimestamp: string | null },
  version?: string,
): string {
  const name = `${kind} ${obj.namespace}/${obj.name}${version === undefined ? '' : `, ${version}`}`;
  return obj.deletionTimestamp ? `${deletedMark} ${name}` : name;
}

/** A row standing for no object: clusterctl's Workers and Other. */
export function virtualRow(kind: string, name: string, children: TreeRow[]): TreeRow {
  return {
    ...emptyCounters,
    name,
    kind,
    objectName: name,
    virtual: true,
    condition: undefined,
    conditions: [],
    children,
  };
}

/** An object clusterctl reads unstructured (infrastructure, bootstrap): its Ready condition only. */
export function providerRow(
  obj: {
    kind: string;
    name: string;
    deletionTimestamp: string | null;
    conditions: ConditionFieldsFragment[];
  },
  namespace: string,
): TreeRow {
  return {
    ...emptyCounters,
    name: rowName(obj.kind, { ...obj, namespace }),
    kind: obj.kind,
    objectName: obj.name,
    condition: conditionOf(obj.conditions, 'Ready'),
    conditions: obj.conditions,
    children: [],
  };
}

const counter = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

export interface ReplicaFields {
  desired: number | null;
  replicas: number | null;
  ready: number | null;
  available: number | null;
  upToDate: number | null;
}

/** MachineDeployment, MachineSet: replicas current/desired when desired is set. */
export function replicaCounters(obj: ReplicaFields): Counters {
  return {
    replicas: obj.desired === null ? '' : `${obj.replicas ?? 0}/${obj.desired}`,
    available: counter(obj.available),
    ready: counter(obj.ready),
    upToDate: counter(obj.upToDate),
  };
}

/** A control plane (the contract's fields): replicas only when both current and desired are set. */
export function controlPlaneCounters(obj: ReplicaFields): Counters {
  return {
    ...replicaCounters(obj),
    replicas: obj.desired === null || obj.replicas === null ? '' : `${obj.replicas}/${obj.desired}`,
  };
}

/** A machine: replicas 1; its Available, Ready and UpToDate conditions as 1 or 0; Ready shown. */
export function machineRow(m: MachineRowFragment, namespace: string): TreeRow {
  const is = (type: string) => (conditionOf(m.conditions, type)?.status === 'True' ? '1' : '0');
  return {
    name: rowName('Machine', { ...m, namespace }, m.version ?? ''),
    kind: 'Machine',
    objectName: m.name,
    replicas: '1',
    available: is('Available'),
    ready: is('Ready'),
    upToDate: is('UpToDate'),
    condition: conditionOf(m.conditions, 'Ready'),
    conditions: m.conditions,
    children: [],
  };
}
