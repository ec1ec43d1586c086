/**
 * Ports are checked before anything is started or written: a taken port found only after the
 * embedded cluster and its demo fleet were written to the data dir leaves a half-started run
 * behind. The check binds and releases the port; the real listen a moment later reports the
 * (unlikely) race the same way.
 */
import { createServer } from 'node:net';
import { describeExpectedFailure } from './startup-failure.ts';

function tryBind(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

export function inUse(host: string, port: number, flag: string): string {
  return `${host}:${port} is already in use (choose another ${flag}, or ${flag} 0 for a free one)`;
}

/**
 * Why the port cannot be used, naming `flag` (the option to change) when a command has several
 * ports; undefined when it is free.
 */
export async function portProblem(host: string, port: number, flag?: string): Promise<string | undefined> {
  // Port 0 is bound too: it checks that the host is an address of this machine.
  const error = await tryBind(host, port);
  if (!error) return undefined;
  if (error.code === 'EADDRINUSE' && flag !== undefined) return inUse(host, port, flag);
  if (error.code === 'EADDRNOTAVAIL')
    return `cannot listen on ${host}: not an address of this machine (--host)`;
  return describeExpectedFailure(Object.assign(error, { address: host, port })) ?? error.message;
}
