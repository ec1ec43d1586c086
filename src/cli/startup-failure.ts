/**
 * Failures a user causes and can fix (a data dir in use or created with another --capi-api, a port
 * taken, an unusable path, a bad --token-auth-file or --seed file) end the command with one line and exit code 2; anything else is a bug
 * and keeps its stack trace.
 */
import { CapiApiMismatchError } from '../../embedded/apiserver/capi-api-mismatch.ts';
import { DataDirInUseError } from '../../embedded/apiserver/data-dir-lock.ts';
import { TokenFileError } from '../../embedded/apiserver/auth/token-file.ts';
import { SeedFileError } from '../../embedded/apiserver/seed-file.ts';

type SystemError = NodeJS.ErrnoException & { address?: string; port?: number };

function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as SystemError).code === 'string';
}

/** One line describing an expected failure, or undefined when the error is unexpected. */
export function describeExpectedFailure(error: unknown): string | undefined {
  if (
    error instanceof DataDirInUseError ||
    error instanceof CapiApiMismatchError ||
    error instanceof TokenFileError ||
    error instanceof SeedFileError
  )
    return error.message;
  if (!isSystemError(error) || typeof error.syscall !== 'string') return undefined;
  const where = error.address === undefined ? '' : `${error.address}:${error.port ?? ''}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where} is already in use (choose another port, or 0 for a free one)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${error.address ?? 'that address'}: not an address of this machine`;
    case 'EACCES':
      if (error.syscall === 'listen' || error.syscall === 'bind')
        return `no permission to listen on ${where}`;
      return error.message;
    default:
      // File system and other environment errors: their message names the path and the cause.
      return error.message;
  }
}

/** Runs `start`; an expected failure is printed as `capi-gateway: <what>: <reason>` and exits 2. */
export async function orExit<T>(what: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const reason = describeExpectedFailure(error);
    if (reason === undefined) throw error;
    process.stderr.write(`capi-gateway: ${what}: ${reason}\n`);
    process.exit(2);
  }
}

/** Exits 2 with `capi-gateway: <what>: <problem>` when there is a problem. */
export function exitIf(what: string, problem: string | undefined): void {
  if (problem === undefined) return;
  process.stderr.write(`capi-gateway: ${what}: ${problem}\n`);
  process.exit(2);
}
