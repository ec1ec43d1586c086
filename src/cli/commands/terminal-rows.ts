/**
 * `get … -w` on a terminal: the table redrawn in place (live-screen.ts), sorted, on every
 * change and every second (ages move). A changed row has `*` in its gutter, in inverse when
 * colour is on, for a few seconds; a row that is gone shows PHASE `Deleted` that long, then goes.
 */
import { ChangeMarks } from './change-marks.ts';
import { formatColumns } from './columns.ts';
import { goneCells } from './gone-cells.ts';
import type { RowFormat, RowSink } from './live-rows.ts';
import { LiveScreen } from './live-screen.ts';
import type { Paint } from './output.ts';

const holdMs = 3_000;

export function terminalRows<T>(
  format: RowFormat<T>,
  paint: Paint,
  out: NodeJS.WriteStream = process.stdout,
): RowSink<T> {
  const rows = new Map<string, { item: T; gone: boolean }>();
  const marks = new ChangeMarks(holdMs);
  const screen = new LiveScreen(out);
  const draw = () => {
    for (const [key, row] of rows) if (row.gone && !marks.marked(key)) rows.delete(key);
    const sorted = [...rows].sort(([, a], [, b]) => format.compare(a.item, b.item));
    const cells = sorted.map(([, row]) =>
      row.gone ? goneCells(format.headers, format.cells(row.item)) : format.cells(row.item),
    );
    const [header = '', ...lines] = formatColumns(format.headers, cells).trimEnd().split('\n');
    screen.draw([
      `  ${header}`,
      ...lines.map((line, i) => (marks.marked(sorted[i]![0]) ? `* ${paint('inverse', line)}` : `  ${line}`)),
    ]);
  };
  const ticker = setInterval(draw, 1_000);
  ticker.unref();
  return {
    start(initial) {
      for (const { key, item } of initial) rows.set(key, { item, gone: false });
      draw();
    },
    changed(key, item, change) {
      rows.set(key, { item, gone: change === 'DELETED' });
      marks.mark(key);
      draw();
    },
    close() {
      clearInterval(ticker);
      screen.close();
    },
  };
}
