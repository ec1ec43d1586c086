/**
 * kubectl's borderless table: upper-case headers, columns padded to their widest cell and
 * separated by three spaces (kubectl's tabwriter settings). A bordered table library
 * (cli-table3) does not draw this look, and it is a few lines; widths ignore ANSI colour.
 */
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g;

export const visibleLength = (text: string): number => text.replace(ansi, '').length;

export function formatColumns(headers: string[], rows: string[][], gap = 3): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => visibleLength(row[i] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell) + gap),
      )
      .join('')
      .trimEnd();
  return all.map(line).join('\n') + '\n';
}
