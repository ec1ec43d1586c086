/**
 * One server per data dir: two processes appending to the same write-ahead log would corrupt it.
 * The lock is a pid file; a lock left by a process that no longer runs (kill -9) is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface DataDirLock {
  release(): Promise<void>;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another running server holds the data dir: an expected failure, reported in one line. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: number,
  ) {
    super(`data dir ${dataDir} is in use by process ${holder}; stop it or use another --data-dir`);
    this.name = 'DataDirInUseError';
  }
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, 'store.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (holder && holder !== process.pid && running(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new Error(`could not lock data dir ${dataDir}`);
}
