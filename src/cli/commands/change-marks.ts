/**
 * Which rows of a live view changed, and for how long they show it. A row is known by a key
 * (what it is) and compared by its content (what it shows, minus what only time changes, such
 * as an age); a new key or new content marks the row for `holdMs`.
 */
export class ChangeMarks {
  private readonly contents = new Map<string, string>();
  private readonly until = new Map<string, number>();

  constructor(
    private readonly holdMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a row's content; true when it is new or differs. `quiet`: record without marking. */
  note(key: string, content: string, quiet = false): boolean {
    const changed = this.contents.get(key) !== content;
    this.contents.set(key, content);
    if (changed && !quiet) this.until.set(key, this.now() + this.holdMs);
    return changed && !quiet;
  }

  /** Marks a row as changed (the caller decided it). */
  mark(key: string): void {
    this.until.set(key, this.now() + this.holdMs);
  }

  /** Forgets a row altogether. */
  drop(key: string): void {
    this.contents.delete(key);
    this.until.delete(key);
  }

  keys(): string[] {
    return [...this.contents.keys()];
  }

  /** Whether the row still shows its change. */
  marked(key: string): boolean {
    return (this.until.get(key) ?? 0) > this.now();
  }
}
