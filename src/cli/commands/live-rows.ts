/**
 * The rows of a `get … -w`, kept as the watch learns of changes: which are new, changed or
 * gone, decided once here; how that shows is a sink's (row-sinks.ts): appended rows off a
 * terminal, a table redrawn in place on one, or a JSON/YAML document per change.
 */
export type Change = 'ADDED' | 'MODIFIED' | 'DELETED';

/** How one kind of row reads. */
export interface RowFormat<T> {
  headers: string[];
  cells(item: T): string[];
  /** The order of rows on a terminal. */
  compare(a: T, b: T): number;
  /** The item in -o json|yaml. */
  object(item: T): unknown;
}

export interface RowSink<T> {
  /** The rows when the watch starts (the list a plain `get` prints). */
  start(rows: Array<{ key: string; item: T }>): void;
  changed(key: string, item: T, change: Change): void;
  close(): void;
}

interface Held<T> {
  item: T;
  signature: string;
  part: string | undefined;
}

export class LiveRows<T> {
  private readonly held = new Map<string, Held<T>>();

  /** `signature`: what a row shows; a change of it is a change of the row. */
  constructor(
    private readonly sink: RowSink<T>,
    private readonly signature: (item: T) => string,
  ) {}

  start(rows: Array<{ key: string; item: T; part?: string }>): void {
    for (const { key, item, part } of rows)
      this.held.set(key, { item, signature: this.signature(item), part });
    this.sink.start(rows);
  }

  /** A row now; shown when it is new or shows something else. */
  set(key: string, item: T, part?: string): void {
    const before = this.held.get(key);
    const signature = this.signature(item);
    this.held.set(key, { item, signature, part });
    if (before?.signature === signature) return;
    this.sink.changed(key, item, before ? 'MODIFIED' : 'ADDED');
  }

  /** Every row of one part of the scope (a cluster's machines) now: the ones missing are gone. */
  replace(part: string, rows: Array<{ key: string; item: T }>): void {
    const keys = new Set(rows.map((r) => r.key));
    for (const [key, held] of this.held) if (held.part === part && !keys.has(key)) this.delete(key);
    for (const { key, item } of rows) this.set(key, item, part);
  }

  delete(key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    this.sink.changed(key, held.item, 'DELETED');
  }

  close(): void {
    this.sink.close();
  }
}
