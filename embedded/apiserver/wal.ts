/**
 * Append-only write-ahead log with group commit: records appended while a flush is in progress
 * share the next write + fdatasync, and each append resolves only once its record is durable —
 * the API server acknowledges a write after that. On start the log is replayed (a torn last
 * record is ignored) and compacted into a fresh file through temp file + fsync + rename; a log
 * that grows well past its last snapshot is compacted the same way while the server runs.
 */
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export type WalRecord =
  { v: number; k: string; o: unknown } | { v: number; k: string; d: [string, string] } | { v: number };

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Compact once the appended bytes exceed this many times the last snapshot (and this floor). */
const growthFactor = 3;
const minimumCompactionBytes = 64 * 1024 * 1024;

async function writeSnapshot(path: string, records: Iterable<WalRecord>): Promise<number> {
  const tmp = `${path}.compact`;
  const out = await open(tmp, 'w', 0o600);
  let bytes = 0;
  try {
    let chunk: string[] = [];
    const flush = async () => {
      const text = chunk.join('');
      bytes += Buffer.byteLength(text);
      await out.write(text);
      chunk = [];
    };
    for (const record of records) {
      chunk.push(JSON.stringify(record) + '\n');
      if (chunk.length >= 1000) await flush();
    }
    if (chunk.length) await flush();
    await out.sync();
  } finally {
    await out.close();
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
  return bytes;
}

export class WriteAheadLog {
  private pending: string[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private closed = false;
  private appendedBytes = 0;

  private constructor(
    private handle: FileHandle,
    readonly path: string,
    private snapshotBytes: number,
    private readonly compactionFloor: number,
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
  static async compactAndOpen(
    path: string,
    records: Iterable<WalRecord>,
    compactionFloor = minimumCompactionBytes,
  ): Promise<WriteAheadLog> {
    const bytes = await writeSnapshot(path, records);
    return new WriteAheadLog(await open(path, 'a', 0o600), path, bytes, compactionFloor);
  }

  append(record: WalRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write-ahead log is closed'));
    const line = JSON.stringify(record) + '\n';
    this.appendedBytes += line.length;
    this.pending.push(line);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.compacting) this.flushing ??= this.flushLoop();
    return done;
  }

  get needsCompaction(): boolean {
    return (
      !this.compacting &&
      !this.closed &&
      this.appendedBytes > Math.max(this.compactionFloor, growthFactor * this.snapshotBytes)
    );
  }

  /**
   * Replaces the log with `snapshot`, the complete current state. Call it in the same tick as the
   * snapshot is taken: records still pending are part of that state, so they are acknowledged once
   * the snapshot is durable; records appended later go to the new log after it.
   */
  compact(snapshot: WalRecord[]): Promise<void> {
    if (this.compacting || this.closed) return this.compacting ?? Promise.resolve();
    const heldLines = this.pending;
    const heldWaiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    // Bytes appended from now on count towards the next compaction.
    const counted = this.appendedBytes;
    this.appendedBytes = 0;
    this.compacting = (async () => {
      while (this.flushing) await this.flushing;
      try {
        const bytes = await writeSnapshot(this.path, snapshot);
        const previous = this.handle;
        this.handle = await open(this.path, 'a', 0o600);
        await previous.close();
        this.snapshotBytes = bytes;
        for (const w of heldWaiters) w.resolve();
      } catch {
        this.appendedBytes += counted;
        // Keep the old log: the held records still go there.
        this.pending = [...heldLines, ...this.pending];
        this.waiters = [...heldWaiters, ...this.waiters];
      } finally {
        this.compacting = undefined;
        if (this.pending.length) this.flushing ??= this.flushLoop();
      }
    })();
    return this.compacting;
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length && !this.compacting) {
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
    while (this.compacting || this.flushing) await (this.compacting ?? this.flushing);
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
