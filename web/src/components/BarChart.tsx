/** A small horizontal bar chart in plain SVG; each bar is labelled with its key and count. */
export interface BarDatum {
  key: string;
  count: number;
}

export function BarChart({ title, data }: { title: string; data: readonly BarDatum[] }) {
  const rows = [...data].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, 8);
  const max = Math.max(1, ...rows.map((r) => r.count));
  const rowHeight = 20;
  const height = Math.max(1, rows.length) * rowHeight;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg width="100%" height={height} viewBox={`0 0 240 ${height}`} role="img" aria-label={title}>
        {rows.length === 0 && (
          <text x="0" y="14" className="chart-empty">
            none
          </text>
        )}
        {rows.map((row, i) => (
          <g key={row.key} transform={`translate(0 ${i * rowHeight})`}>
            <title>{`${row.key}: ${row.count}`}</title>
            <text x="0" y="14" className="chart-label">
              {row.key.length > 16 ? `${row.key.slice(0, 15)}…` : row.key}
            </text>
            <rect x="110" y="4" height="12" width={(row.count / max) * 100} className="chart-bar" rx="2" />
            <text x={116 + (row.count / max) * 100} y="14" className="chart-count">
              {row.count}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
