/**
 * The describe tree drawn as clusterctl v1.14 draws it (internal/util/tree/tree.go
 * PrintObjectTree): ├─ / └─ prefixes with │ under an open branch; a multi-line message continues
 * on rows of its own; an object selected by --show-conditions gets no condition on its row and
 * one row per condition below it, indented ten columns past the tree; columns as tree-table.ts
 * lays them out. Colours as clusterctl's (on a terminal only).
 */
import type { ConditionFieldsFragment } from '../../../client/index.ts';
import { humanDuration } from './age.ts';
import type { Paint } from './output.ts';
import { formatParagraph } from './paragraph.ts';
import { isPositive, shownConditions } from './show-conditions.ts';
import { deletedMark, type TreeRow } from './tree-row.ts';
import { formatTreeTable } from './tree-table.ts';

const headers = [
  'NAME',
  'REPLICAS',
  'AVAILABLE',
  'READY',
  'UP TO DATE',
  'STATUS',
  'REASON',
  'SINCE',
  'MESSAGE',
];

const branch = '├─';
const lastBranch = '└─';
const pipe = '│ ';
const indent = '  ';
/** Sets condition rows apart from the object rows below them. */
const conditionFiller = ' '.repeat(10);

/**
 * With `marked` (`watch cluster`), every row starts with a gutter: `* ` on the rows in it (their
 * name also in inverse when colour is on), two spaces on the others.
 */
export function renderTree(
  root: TreeRow,
  paint: Paint,
  marked?: ReadonlySet<TreeRow>,
  now = Date.now(),
): string {
  const rows: string[][] = [];
  const last = lastRow(root);
  const gutter = (row: TreeRow | undefined) =>
    marked === undefined ? '' : row && marked.has(row) ? '* ' : '  ';
  const push = (row: TreeRow | undefined, cells: string[]) => {
    cells[0] = gutter(row) + cells[0];
    rows.push(cells);
  };
  const walk = (row: TreeRow, prefix: string, childPrefix: string) => {
    const hasChildren = row.children.length > 0;
    const [first, ...more] = mainMessage(row, paint, now).split('\n');
    const main = mainCells(row, prefix, first ?? '', paint, now);
    if (marked?.has(row)) main[0] = paint('inverse', main[0]!);
    push(row, main);
    // clusterctl continues the last row of the whole tree without any prefix.
    const continuation = row === last ? '' : childPrefix + (hasChildren ? pipe : '');
    for (const line of more) push(undefined, continued(paint('gray', continuation), line));
    if (row.showConditions !== undefined) {
      const conditions = shownConditions(row.conditions, row.showConditions);
      const base = childPrefix + (hasChildren ? pipe : indent) + conditionFiller;
      conditions.forEach((c, i) => {
        for (const cells of conditionRows(
          c,
          base + (i < conditions.length - 1 ? branch : lastBranch),
          paint,
          now,
        ))
          push(undefined, cells);
      });
    }
    row.children.forEach((child, i) => {
      const isLast = i === row.children.length - 1;
      walk(child, childPrefix + (isLast ? lastBranch : branch), childPrefix + (isLast ? indent : pipe));
    });
  };
  walk(root, '', '');
  return formatTreeTable([gutter(undefined) + headers[0]!, ...headers.slice(1)], rows);
}

/** The row printed last: the last descendant of the last child, and so on. */
function lastRow(row: TreeRow): TreeRow {
  const children = row.children;
  return children.length === 0 ? row : lastRow(children[children.length - 1]!);
}

const continued = (prefix: string, message: string) => [prefix, '', '', '', '', '', '', '', message];

function mainMessage(row: TreeRow, paint: Paint, now: number): string {
  if (row.showConditions !== undefined) return '';
  if (row.message !== undefined) return paint('gray', row.message);
  return row.condition ? conditionInfo(row.condition, paint, now).message : '';
}

function mainCells(row: TreeRow, prefix: string, message: string, paint: Paint, now: number): string[] {
  const c = row.showConditions === undefined ? row.condition : undefined;
  const info = c && conditionInfo(c, paint, now);
  return [
    paint('gray', prefix) + paintedName(row, paint),
    row.replicas,
    row.available,
    row.ready,
    row.upToDate,
    info?.status ?? '',
    info?.reason ?? '',
    info?.age ?? '',
    message,
  ];
}

/** "Kind namespace/name, version" with namespace/name in bold, a deletion mark in red. */
function paintedName(row: TreeRow, paint: Paint): string {
  if (row.group) return paint('bold', paint('white', row.name));
  if (row.virtual) return row.name;
  const deleted = row.name.startsWith(`${deletedMark} `);
  const name = deleted ? row.name.slice(deletedMark.length + 1) : row.name;
  const space = name.indexOf(' ');
  const comma = name.indexOf(', ', space);
  const end = comma === -1 ? name.length : comma;
  const painted = `${name.slice(0, space + 1)}${paint('bold', name.slice(space + 1, end))}${name.slice(end)}`;
  return deleted ? `${paint('red', deletedMark)} ${painted}` : painted;
}

function conditionRows(c: ConditionFieldsFragment, prefix: string, paint: Paint, now: number): string[][] {
  const info = conditionInfo(c, paint, now);
  const [first, ...more] = info.message.split('\n');
  // A continued condition message keeps the │ of a branch that goes on, nothing of a last one.
  const continuation = prefix.endsWith(branch) ? prefix.slice(0, -branch.length) + pipe : prefix.slice(0, -2);
  return [
    [
      paint('gray', prefix) + paint('cyan', c.type),
      '',
      '',
      '',
      '',
      info.status,
      info.reason,
      info.age,
      first ?? '',
    ],
    ...more.map((line) => continued(paint('gray', continuation), line)),
  ];
}

/** clusterctl's conditionInfo: status coloured by the condition's polarity, age, wrapped message. */
function conditionInfo(c: ConditionFieldsFragment, paint: Paint, now: number) {
  const positive = isPositive(c);
  const colour =
    c.status === 'True'
      ? positive
        ? 'green'
        : 'red'
      : c.status === 'False'
        ? positive
          ? 'red'
          : 'green'
        : c.status === 'Unknown'
          ? 'yellow'
          : 'gray';
  return {
    status: paint(colour, c.status),
    reason: c.reason ?? '',
    age: conditionAge(c.lastTransitionTime, now),
    message: formatParagraph(c.message ?? ''),
  };
}

/** Go's time.Since of a zero time saturates at the longest duration: clusterctl prints 292y. */
const longestDurationMs = 9_223_372_036_854;

function conditionAge(lastTransitionTime: string | null, now: number): string {
  const t = lastTransitionTime ? Date.parse(lastTransitionTime) : Number.NaN;
  return humanDuration(Number.isNaN(t) ? longestDurationMs : now - t);
}
