/**
 * The per-identity cap on graphql-ws connections. The caller is known at `connection_init`
 * (where authentication puts the identity on the context), so the cap is taken there and given
 * back when the socket closes, however it closes.
 */
import type { WebSocket } from 'ws';
import { limitKeyOf, type LimitSubject } from './identity-key.ts';
import type { PerIdentityCap } from './per-identity-caps.ts';

/** The close code for "too many connections" (4000-4999 are the application's). */
export const tooManyConnectionsCloseCode = 4429;

export async function admitConnection(
  cap: PerIdentityCap,
  socket: WebSocket,
  subject: () => Promise<LimitSubject>,
): Promise<boolean> {
  const release = cap.acquire(limitKeyOf(await subject()));
  if (!release) {
    socket.close(tooManyConnectionsCloseCode, `Too many connections: the connections limit is ${cap.max}`);
    return false;
  }
  socket.once('close', release);
  return true;
}
