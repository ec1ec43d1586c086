/** How a row reads once its object is gone: its last cells, PHASE `Deleted` (CAPI's word). */
export function goneCells(headers: string[], cells: string[]): string[] {
  const phase = headers.indexOf('PHASE');
  return phase < 0 ? cells : cells.map((cell, i) => (i === phase ? 'Deleted' : cell));
}

/** What a row shows, minus its AGE (time passing is no change). */
export function shownSignature(headers: string[], cells: string[]): string {
  const age = headers.indexOf('AGE');
  return cells.filter((_, i) => i !== age).join('\t');
}
