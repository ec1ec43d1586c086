/**
 * Waits until some processes have (nearly) stopped using CPU: the management clusters of a
 * benchmark run on the same cores as the gateway it measures, and after seeding or a sync they
 * keep collecting garbage for a while. Linux only (reads /proc); elsewhere it returns at once.
 */
import { readFileSync } from 'node:fs';

/** CPU time used so far by `pid` in clock ticks (utime + stime), or undefined when unreadable. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

const ticksPerSecond = 100;

export interface QuietResult {
  /** How long it waited. */
  waitedMs: number;
  /** Their CPU use over the last interval, in % of one core (summed). */
  lastPercent: number;
  quiet: boolean;
}

/** Polls every `intervalMs` until `pids` together use at most `maxPercent` of one core, or the deadline. */
export async function whenQuiet(
  pids: number[],
  options: { maxPercent?: number; intervalMs?: number; deadlineMs?: number } = {},
): Promise<QuietResult> {
  const maxPercent = options.maxPercent ?? 5;
  const intervalMs = options.intervalMs ?? 2000;
  const deadlineMs = options.deadlineMs ?? 180_000;
  const start = performance.now();
  const total = () => pids.reduce((n, pid) => n + (cpuTicks(pid) ?? 0), 0);
  if (pids.every((pid) => cpuTicks(pid) === undefined)) return { waitedMs: 0, lastPercent: 0, quiet: false };
  let before = total();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const now = total();
    const percent = ((now - before) / ticksPerSecond / (intervalMs / 1000)) * 100;
    before = now;
    const waitedMs = performance.now() - start;
    if (percent <= maxPercent) return { waitedMs, lastPercent: percent, quiet: true };
    if (waitedMs >= deadlineMs) return { waitedMs, lastPercent: percent, quiet: false };
  }
}
