/**
 * Append-only write-ahead log with group commit: records appended while a flush is in progress
 * share the next write + fdatasync, and each append resolves only once its record is durable —
 * the API server acknowledges a write after that. On start the log is replayed (a torn last
 * record is ignored) and compacted into a fresh file through temp file + fsync + rename.
 */
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export type WalRecord =
  { v: number; k: string; o: unknown } | { v: number; k: string; d: [string, string] } | { v: number };

export class WriteAheadLog {
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  /** Reads every intact record of the log at `path` (missing file = none). */
  static async replay(path: string): Promise<WalRecord[]> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return [];
    }
    const records: WalRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as WalRecord);
      } catch {
        // A torn record (crash mid-append) can only be the last one; nothing after it was acknowledged.
        break;
      }
    }
    return records;
  }

  /** Writes `records` as the whole new log atomically and opens it for appending. */
  static async compactAndOpen(path: string, records: Iterable<WalRecord>): Promise<WriteAheadLog> {
    const tmp = `${path}.compact`;
    const out = await open(tmp, 'w', 0o600);
    try {
      let chunk: string[] = [];
      for (const record of records) {
        chunk.push(JSON.stringify(record) + '\n');
        if (chunk.length >= 1000) {
          await out.write(chunk.join(''));
          chunk = [];
        }
      }
      if (chunk.length) await out.write(chunk.join(''));
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, path);
    await syncDir(dirname(path));
    return new WriteAheadLog(await open(path, 'a', 0o600), path);
  }

  append(record: WalRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write-ahead log is closed'));
    this.pending.push(JSON.stringify(record) + '\n');
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing ??= this.flushLoop();
    return done;
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length) {
      const lines = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await this.handle.write(lines.join(''));
        await this.handle.datasync();
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directory fsync is not supported everywhere; rename is still atomic.
  }
}
