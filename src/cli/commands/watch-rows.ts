/** The live rows of a `get … -w` for its output: which sink, and what counts as a change. */
import { appendedRows } from './appended-rows.ts';
import { eventDocuments } from './event-documents.ts';
import { shownSignature } from './gone-cells.ts';
import { LiveRows, type RowFormat } from './live-rows.ts';
import { painter, type OutputFormat } from './output.ts';
import { terminalRows } from './terminal-rows.ts';

export function watchRows<T>(format: RowFormat<T>, output: OutputFormat): LiveRows<T> {
  // A document changes with any field of its object; a table row only with what it shows.
  if (output === 'json' || output === 'yaml')
    return new LiveRows(eventDocuments(format, output), (item) => JSON.stringify(format.object(item)));
  const sink = process.stdout.isTTY ? terminalRows(format, painter()) : appendedRows(format);
  return new LiveRows(sink, (item) => shownSignature(format.headers, format.cells(item)));
}
