/**
 * Whom a per-identity cap counts against: the authenticated user when the request has one
 * (`context.identity`, set by authentication), else the caller's address — so the caps hold
 * before authentication is configured and follow the user once it is.
 */
import type { IncomingMessage } from 'node:http';

export interface LimitSubject {
  identity?: { user: string } | undefined;
  /** yoga's node request (HTTP, SSE) and graphql-ws's upgrade request. */
  req?: Pick<IncomingMessage, 'socket'> | undefined;
  /** yoga.fetch in-process: no socket. */
  request?: { headers?: { get(name: string): string | null } } | undefined;
}

export function limitKeyOf(subject: LimitSubject | undefined): string {
  const user = subject?.identity?.user;
  if (user) return `user:${user}`;
  const address = subject?.req?.socket?.remoteAddress;
  return `address:${address ?? 'local'}`;
}
