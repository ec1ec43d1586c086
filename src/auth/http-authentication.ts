/**
 * Bearer-token authentication for GraphQL over HTTP (queries, mutations, SSE subscriptions):
 * a yoga plugin that answers 401 with a `WWW-Authenticate` challenge (RFC 6750) before
 * anything is parsed, and remembers the identity of every accepted request for its context.
 */
import type { Plugin } from 'graphql-yoga';
import { bearerToken } from './bearer-token.ts';
import type { AuthFailure, Authenticator, Identity } from './identity.ts';

export const realm = 'capi-gateway';

/** The `WWW-Authenticate` value for a failure (no token: a bare challenge, as RFC 6750 §3.1 says). */
export function challengeOf(failure: AuthFailure): string {
  if (failure.reason === 'missing') return `Bearer realm="${realm}"`;
  return `Bearer realm="${realm}", error="invalid_token", error_description="${failure.message}"`;
}

export function unauthorizedResponse(
  failure: AuthFailure,
  ResponseClass: typeof Response = Response,
): Response {
  return new ResponseClass(
    JSON.stringify({ errors: [{ message: failure.message, extensions: { code: 'UNAUTHENTICATED' } }] }),
    {
      status: 401,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'www-authenticate': challengeOf(failure),
      },
    },
  );
}

/** GraphiQL's page itself (a browser's GET for HTML) carries no data: its requests need a token. */
function isGraphiqlPage(request: Request): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
}

export interface HttpAuthentication {
  plugin: Plugin;
  /** The identity of an accepted request. */
  identityOf(request: Request): Identity | undefined;
}

export function httpAuthentication(authenticate: Authenticator): HttpAuthentication {
  const identities = new WeakMap<Request, Identity>();
  const plugin: Plugin = {
    async onRequest({ request, endResponse, fetchAPI }) {
      if (isGraphiqlPage(request)) return;
      const result = await authenticate(bearerToken(request.headers.get('authorization')));
      if (!result.ok) {
        endResponse(unauthorizedResponse(result.failure, fetchAPI.Response));
        return;
      }
      identities.set(request, result.identity);
    },
  };
  return { plugin, identityOf: (request) => identities.get(request) };
}
