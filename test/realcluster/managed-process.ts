import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface ProcessSpec {
  /** Short name: the log file is `<logDir>/<name>.log`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  logDir: string;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  logPath: string;
  /** Why the process is gone, or undefined while it runs. */
  exitReason(): string | undefined;
  /** SIGTERM to the whole process group, SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a binary in its own process group (so stop() reaches anything it forks) with stdout
 * and stderr appended to a log file, for debugging a failed run.
 */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  const logPath = join(spec.logDir, `${spec.name}.log`);
  const fd = openSync(logPath, 'a');
  const child = spawn(spec.command, spec.args, {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = `${spec.name} exited (${signal ?? `code ${code}`}); see ${logPath}`;
      resolve();
    });
    child.once('error', (error) => {
      exitReason = `${spec.name} failed to start: ${error.message}`;
      resolve();
    });
  });
  const pid = child.pid ?? -1;

  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };

  return {
    name: spec.name,
    pid,
    logPath,
    exitReason: () => exitReason,
    async stop(graceMs = 10_000) {
      if (pid <= 0) return;
      if (exitReason === undefined) {
        signalGroup('SIGTERM');
        const timedOut = await Promise.race([exited.then(() => false), delay(graceMs).then(() => true)]);
        if (timedOut) signalGroup('SIGKILL');
        await exited;
      }
      // Children that outlived the leader are still in its group.
      signalGroup('SIGKILL');
    },
  };
}
