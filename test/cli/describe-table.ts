/**
 * Reads the describe table (the gateway's or clusterctl's): each cell sits under its header and
 * every cell is padded to its column's width, so header positions cut the lines into cells.
 */
export const describeHeaders = [
  'NAME',
  'REPLICAS',
  'AVAILABLE',
  'READY',
  'UP TO DATE',
  'STATUS',
  'REASON',
  'SINCE',
  'MESSAGE',
] as const;

export type DescribeRow = Record<(typeof describeHeaders)[number], string>;

function columnStarts(header: string): number[] {
  let from = 0;
  return describeHeaders.map((name) => {
    const at = header.indexOf(name, from);
    if (at < 0) throw new Error(`no ${name} in the header: ${JSON.stringify(header)}`);
    from = at + name.length;
    return at;
  });
}

/** The rows, cells trimmed on the right (a tree prefix stays on NAME). */
export function parseDescribeTable(out: string): DescribeRow[] {
  const [header = '', ...lines] = out.replace(/\n$/, '').split('\n');
  const starts = columnStarts(header);
  return lines.map((line) => {
    const cells = starts.map((start, i) => line.slice(start, starts[i + 1]).trimEnd());
    return Object.fromEntries(describeHeaders.map((name, i) => [name, cells[i]!])) as DescribeRow;
  });
}

/** The output without its SINCE column: what two runs a few seconds apart must agree on. */
export function withoutSince(out: string): string {
  const lines = out.split('\n');
  const starts = columnStarts(lines[0] ?? '');
  const since = starts[describeHeaders.indexOf('SINCE')]!;
  const message = starts[describeHeaders.indexOf('MESSAGE')]!;
  return lines.map((line) => line.slice(0, since) + line.slice(message)).join('\n');
}
