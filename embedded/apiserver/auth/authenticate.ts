/**
 * Bearer-token authentication: the kubeconfig's admin token, or a user of the token file.
 * Tokens are compared in constant time (per candidate length), never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { unauthorized } from '../errors.ts';
import { adminUser, withAuthenticatedGroup, type UserInfo } from './user.ts';

export interface Authenticator {
  /** The user a request's `Authorization` header names, or a 401 `StatusError`. */
  authenticate(header: string | undefined): UserInfo;
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export function bearerAuthenticator(adminToken: string, tokenUsers: Map<string, UserInfo>): Authenticator {
  const admin = digest(adminToken);
  // Looked up by digest so the map lookup itself reveals nothing about a token's prefix.
  const users = new Map<string, UserInfo>();
  for (const [token, user] of tokenUsers)
    users.set(digest(token).toString('hex'), withAuthenticatedGroup(user));
  return {
    authenticate(header) {
      if (!header?.startsWith('Bearer ')) throw unauthorized();
      const token = header.slice('Bearer '.length).trim();
      if (token === '') throw unauthorized();
      const given = digest(token);
      if (timingSafeEqual(given, admin)) return adminUser;
      const user = users.get(given.toString('hex'));
      if (!user) throw unauthorized();
      return user;
    },
  };
}
