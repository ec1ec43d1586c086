/**
 * `get … -w` off a terminal, as kubectl does it: the table once, then one row per change,
 * padded to the table's columns (a wider cell pushes the rest of its row). A row that is gone
 * is printed once more, its PHASE `Deleted`.
 */
import { visibleLength } from './columns.ts';
import { goneCells } from './gone-cells.ts';
import type { RowFormat, RowSink } from './live-rows.ts';

export function appendedRows<T>(
  format: RowFormat<T>,
  out: NodeJS.WritableStream = process.stdout,
): RowSink<T> {
  let widths: number[] | undefined;
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, widths![i]! - visibleLength(cell)) + 3),
      )
      .join('')
      .trimEnd();
  /** The header, with widths from it and the first rows. */
  const header = (rows: string[][]) => {
    widths = format.headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
    out.write(`${line(format.headers)}\n`);
  };
  return {
    start(rows) {
      if (rows.length === 0) return;
      const cells = rows.map((r) => format.cells(r.item));
      header(cells);
      out.write(cells.map((c) => `${line(c)}\n`).join(''));
    },
    changed(_key, item, change) {
      const cells = format.cells(item);
      const shown = change === 'DELETED' ? goneCells(format.headers, cells) : cells;
      if (widths === undefined) header([shown]);
      out.write(`${line(shown)}\n`);
    },
    close() {},
  };
}
