/**
 * The table `clusterctl describe cluster` prints (CAPI v1.14 internal/util/tree: tablewriter
 * without borders or separators, cells padded on the right by two spaces, header cells by one):
 * each column is as wide as its widest cell plus two, or its header plus one, and every cell
 * (the last one too) is padded to that width. The same layout makes the two outputs diff cleanly.
 */
import { visibleLength } from './columns.ts';

const cellPadding = 2;
const headerPadding = 1;

export function formatTreeTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(
      visibleLength(header) + headerPadding,
      ...rows.map((row) => visibleLength(row[i] ?? '') + cellPadding),
    ),
  );
  const line = (row: string[]) =>
    widths.map((width, i) => {
      const cell = row[i] ?? '';
      return cell + ' '.repeat(width - visibleLength(cell));
    });
  return [headers, ...rows].map((row) => `${line(row).join('')}\n`).join('');
}
