/**
 * Binds the HTTPS server. A server started with port 0 may prefer a port (the one its kubeconfig
 * pointed at last time), because clients that read that kubeconfig keep the address they read,
 * as they do with a real API server whose address never changes.
 */
import type { Server } from 'node:net';

function tryListen(server: Server, host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(undefined);
    });
  });
}

/** Listens on `port`, or when it is 0 on `preferredPort` if that is free, else on a free port. */
export async function listen(
  server: Server,
  host: string,
  port: number,
  preferredPort?: number,
): Promise<void> {
  if (port === 0 && preferredPort) {
    const error = await tryListen(server, host, preferredPort);
    if (!error) return;
    // Taken (or not ours to take): a free port is what port 0 promised anyway.
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
  }
  const error = await tryListen(server, host, port);
  if (error) throw error;
}
