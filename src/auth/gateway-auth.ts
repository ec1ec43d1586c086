/**
 * Authentication and per-user RBAC, put together for the gateway: the HTTP plugin (401s), the
 * graphql-ws `connection_init` check (close 4401), the subscription expiry, and the context of
 * every request — the caller's identity and a reader that shows only what they may list.
 */
import { CloseCode } from 'graphql-ws';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { WebSocket } from 'ws';
import type { Fleet } from '../capi/fleet.ts';
import type { FleetReader } from '../capi/fleet-reader.ts';
import { AccessReviews } from './access-reviews.ts';
import { AuthorizedFleetReader } from './authorized-reader.ts';
import { connectionParamsToken } from './bearer-token.ts';
import { fleetScope, type ExtraKind } from './fleet-scope.ts';
import { httpAuthentication } from './http-authentication.ts';
import { expiredToken, type Authenticator, type Identity } from './identity.ts';
import { UserReadAccess } from './read-access.ts';
import { requestAccess, type RequestAccess } from './request-access.ts';
import { useTokenExpiry } from './token-expiry.ts';

export interface GatewayAuthOptions {
  authenticate: Authenticator;
  /** How long an access review answer is reused (default 10 s). */
  accessReviewTtlMs?: number;
  now?: () => number;
}

/** The close code of a socket whose token is missing, invalid or expired. */
export const unauthorizedCloseCode = CloseCode.Unauthorized;

export interface AuthContext {
  identity: Identity;
  requestedBy: string;
  reader: FleetReader;
  access: RequestAccess;
}

interface WsConnectContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { socket: WebSocket };
}

export interface GatewayAuth {
  plugins: Plugin[];
  reviews: AccessReviews;
  /** The request's context with the caller's identity, access and filtered reader. */
  contextFor<C extends { reader: FleetReader }>(
    initial: { request?: Request; identity?: Identity },
    base: C,
  ): Promise<Omit<C, keyof AuthContext> & AuthContext>;
  /** graphql-ws server options: authenticate `connection_init`. */
  graphqlWs: { onConnect(ctx: WsConnectContext): Promise<boolean> };
  /** The identity a socket authenticated with; undefined (and the socket closed) once it expired. */
  socketIdentity(socket: WebSocket): Identity | undefined;
}

export function gatewayAuth(
  options: GatewayAuthOptions,
  fleet: Fleet,
  extraKinds: readonly ExtraKind[],
): GatewayAuth {
  const now = options.now ?? Date.now;
  const http = httpAuthentication(options.authenticate);
  const reviews = new AccessReviews(
    (mc, who, attributes) => {
      const cache = fleet.caches.find((c) => c.name === mc);
      if (!cache) return Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: `no ${mc}` } });
      return cache.connection.reviewAccess(who, attributes);
    },
    { ttlMs: options.accessReviewTtlMs ?? 10_000, now },
  );
  const scope = fleetScope(fleet, extraKinds);
  const sockets = new WeakMap<WebSocket, Identity>();

  return {
    plugins: [http.plugin, useTokenExpiry()],
    reviews,
    async contextFor(initial, base) {
      const identity = initial.identity ?? (initial.request ? http.identityOf(initial.request) : undefined);
      // Never reached through the server (the request was refused); fail closed all the same.
      if (!identity)
        throw new GraphQLError('authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
      const read = await UserReadAccess.create(identity, scope, reviews, { now });
      return {
        ...base,
        identity,
        requestedBy: identity.user,
        reader: new AuthorizedFleetReader(base.reader, read),
        access: requestAccess(identity, read, reviews),
      };
    },
    graphqlWs: {
      async onConnect(ctx) {
        const result = await options.authenticate(connectionParamsToken(ctx.connectionParams));
        if (!result.ok) {
          ctx.extra.socket.close(unauthorizedCloseCode, result.failure.message);
          return false;
        }
        sockets.set(ctx.extra.socket, result.identity);
        return true;
      },
    },
    socketIdentity(socket) {
      const identity = sockets.get(socket);
      if (identity?.expiresAt && identity.expiresAt.getTime() <= now()) {
        socket.close(unauthorizedCloseCode, expiredToken.message);
        return undefined;
      }
      return identity;
    },
  };
}
