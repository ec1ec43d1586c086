/** Marks the rows whose conditions `--show-conditions` lists (every row but a group's). */
import { conditionFilterFor } from './show-conditions.ts';
import type { TreeRow } from './tree-row.ts';

export function withShownConditions(row: TreeRow, list: string): TreeRow {
  const filter = row.group ? undefined : conditionFilterFor(list, row.kind, row.objectName);
  return {
    ...row,
    ...(filter === undefined ? {} : { showConditions: filter }),
    children: row.children.map((child) => withShownConditions(child, list)),
  };
}
