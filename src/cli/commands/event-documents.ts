/**
 * `get … -w -o json|yaml`: one document per change, `{ type, object }` as kubectl's watch
 * events (ADDED for the rows when it starts): one JSON line each, or YAML documents.
 */
import { stringify } from 'yaml';
import type { Change, RowFormat, RowSink } from './live-rows.ts';

export function eventDocuments<T>(
  format: RowFormat<T>,
  output: 'json' | 'yaml',
  out: NodeJS.WritableStream = process.stdout,
): RowSink<T> {
  const write = (type: Change, item: T) => {
    const doc = { type, object: format.object(item) };
    out.write(output === 'json' ? `${JSON.stringify(doc)}\n` : `---\n${stringify(doc)}`);
  };
  return {
    start(rows) {
      for (const { item } of rows) write('ADDED', item);
    },
    changed(_key, item, change) {
      write(change, item);
    },
    close() {},
  };
}
