import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Checked on every round: a failure here ends the wait at once (e.g. a process died). */
  abortIf?: () => string | undefined;
}

/** Polls `check` until it returns a value other than undefined, or fails after the deadline. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  for (;;) {
    const aborted = options.abortIf?.();
    if (aborted !== undefined) throw new Error(`${options.what}: ${aborted}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what}${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
    await delay(options.intervalMs ?? 250);
  }
}
