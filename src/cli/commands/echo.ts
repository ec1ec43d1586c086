/**
 * clusterctl's echo rule (CAPI v1.14 cmd/clusterctl/client/tree/tree.go ObjectTree.Add with
 * NoEcho): a machine's (or a MachinePool's) infrastructure and bootstrap objects are shown only
 * when they tell something their owner's row does not — their Ready condition is not True and
 * differs in status or reason from the owner's Ready (a missing condition equals only a missing
 * one). `--echo` shows them always.
 */
import type { ConditionFieldsFragment } from '../../../client/index.ts';
import { conditionOf, type TreeRow } from './tree-row.ts';

type Ready = ConditionFieldsFragment | undefined;

function sameStatusAndReason(a: Ready, b: Ready): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.status === b.status && a.reason === b.reason;
}

export function isEcho(row: TreeRow, parent: TreeRow): boolean {
  const ready = conditionOf(row.conditions, 'Ready');
  return ready?.status === 'True' || sameStatusAndReason(conditionOf(parent.conditions, 'Ready'), ready);
}

/** The tree without the echoes. */
export function withoutEchoes(row: TreeRow): TreeRow {
  return {
    ...row,
    children: row.children.filter((child) => !child.noEcho || !isEcho(child, row)).map(withoutEchoes),
  };
}
