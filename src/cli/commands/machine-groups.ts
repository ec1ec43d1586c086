/**
 * clusterctl's grouping (tree.ObjectTree with grouping on): sibling machines whose Available,
 * Ready and UpToDate conditions have the same status and reason collapse into one row
 * "N Machines...", counting how many are available, ready and up to date, showing the newest
 * transition and "See m1, m2" as its message. A machine alike to no sibling keeps its own row.
 */
import type { ConditionFieldsFragment, MachineRowFragment } from '../../../client/index.ts';
import { machineRow, type TreeRow } from './tree-row.ts';

const groupedConditions = ['Available', 'Ready', 'UpToDate'];

function groupKey(m: MachineRowFragment): string {
  return groupedConditions
    .map((type) => {
      const c = m.conditions.find((x) => x.type === type);
      return `${c?.status ?? ''}/${c?.reason ?? ''}`;
    })
    .join('|');
}

export function groupMachines(machines: MachineRowFragment[]): TreeRow[] {
  const groups = new Map<string, MachineRowFragment[]>();
  for (const m of machines) {
    const key = groupKey(m);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()].map((members) =>
    members.length === 1 ? machineRow(members[0]!) : groupRow(members),
  );
}

function groupRow(members: MachineRowFragment[]): TreeRow {
  const rows = members.map(machineRow);
  const count = (key: 'available' | 'ready' | 'upToDate') =>
    String(rows.filter((r) => r[key] === '1').length);
  return {
    name: `${members.length} Machines...`,
    replicas: '',
    available: count('available'),
    ready: count('ready'),
    upToDate: count('upToDate'),
    condition: newest(rows.map((r) => r.condition)),
    message: `See ${members.map((m) => m.name).join(', ')}`,
    children: [],
  };
}

function newest(conditions: Array<ConditionFieldsFragment | undefined>): ConditionFieldsFragment | undefined {
  return conditions.reduce<ConditionFieldsFragment | undefined>((best, c) => {
    if (c === undefined) return best;
    if (best === undefined) return c;
    return Date.parse(c.lastTransitionTime ?? '') > Date.parse(best.lastTransitionTime ?? '') ? c : best;
  }, undefined);
}
