/**
 * clusterctl's grouping (cmd/clusterctl/client/tree/tree.go ObjectTree.Add): under a control
 * plane, a MachineDeployment (without --show-machinesets), a MachineSet or a MachinePool, sibling
 * machines whose Available, Ready and UpToDate conditions have the same status and reason (a
 * missing condition matches only a missing one) collapse into one row "N Machines...". The row
 * counts how many are available, ready and up to date, shows the shared Ready condition with the
 * oldest transition and no message, and "See a, b" (names sorted, the first two, then ", ...").
 * A machine left on its own is drawn by `single` (with its infrastructure and bootstrap rows):
 * grouped machines have none.
 */
import type { ConditionFieldsFragment, MachineRowFragment } from '../../../client/index.ts';
import { conditionOf, machineRow, type TreeRow } from './tree-row.ts';

function groupKey(m: MachineRowFragment): string {
  return ['Available', 'Ready', 'UpToDate']
    .map((type) => {
      const c = conditionOf(m.conditions, type);
      return c ? `${c.status}/${c.reason ?? ''}` : '-';
    })
    .join('|');
}

export function groupMachines<M extends MachineRowFragment>(
  machines: M[],
  namespace: string,
  single: (m: M) => TreeRow,
): TreeRow[] {
  const groups = new Map<string, M[]>();
  for (const m of machines) groups.set(groupKey(m), [...(groups.get(groupKey(m)) ?? []), m]);
  return [...groups.values()].map((members) =>
    members.length === 1 ? single(members[0]!) : groupRow(members, namespace),
  );
}

function groupRow(members: MachineRowFragment[], namespace: string): TreeRow {
  const rows = members.map((m) => machineRow(m, namespace));
  const count = (key: 'available' | 'ready' | 'upToDate') =>
    String(rows.filter((r) => r[key] === '1').length);
  const names = members.map((m) => m.name).sort();
  const ready = oldest(rows.map((r) => r.condition));
  return {
    name: `${members.length} Machines...`,
    kind: 'MachineGroup',
    objectName: `${members.length} Machines...`,
    group: true,
    conditions: [],
    replicas: '',
    available: count('available'),
    ready: count('ready'),
    upToDate: count('upToDate'),
    condition: ready && { ...ready, message: null },
    message: names.length <= 2 ? `See ${names.join(', ')}` : `See ${names.slice(0, 2).join(', ')}, ...`,
    children: [],
  };
}

function oldest(conditions: Array<ConditionFieldsFragment | undefined>): ConditionFieldsFragment | undefined {
  return conditions.reduce<ConditionFieldsFragment | undefined>((best, c) => {
    if (c === undefined) return best;
    if (best === undefined) return c;
    return Date.parse(c.lastTransitionTime ?? '') < Date.parse(best.lastTransitionTime ?? '') ? c : best;
  }, undefined);
}
