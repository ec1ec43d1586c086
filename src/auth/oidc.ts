/**
 * OpenID Connect ID tokens (JWTs) verified with jose against the issuer's JWKS: signature,
 * issuer, audience, expiry and not-before (with a clock skew), then the user and groups from
 * the configured claims — as kube-apiserver's OIDC authenticator does.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { OidcConfig } from '../config/gateway-config.ts';
import { expiredToken, invalidToken, missingToken, type Authenticator, type Identity } from './identity.ts';

type KeySet = ReturnType<typeof createRemoteJWKSet>;

export interface OidcOptions {
  /** The clock tokens are checked against (tests move it). */
  now?: () => Date;
}

/** The issuer's `jwks_uri`, from its discovery document. */
async function discoverJwksUri(issuer: string): Promise<URL> {
  const response = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OIDC discovery answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') throw new Error('OIDC discovery names no jwks_uri');
  return new URL(document.jwks_uri);
}

/** The key set, found once (a failed discovery is retried by the next request). */
function keySetOf(config: OidcConfig): () => Promise<KeySet> {
  let keys: Promise<KeySet> | undefined;
  return () => {
    keys ??= (
      config.jwksUri ? Promise.resolve(new URL(config.jwksUri)) : discoverJwksUri(config.issuer)
    ).then((url) => createRemoteJWKSet(url));
    keys.catch(() => (keys = undefined));
    return keys;
  };
}

function groupsOf(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((g) => typeof g === 'string')) return value;
  return undefined;
}

function identityOf(payload: JWTPayload, config: OidcConfig): Identity | undefined {
  const user = payload[config.usernameClaim ?? 'sub'];
  const groups = groupsOf(payload[config.groupsClaim ?? 'groups']);
  if (typeof user !== 'string' || user === '' || groups === undefined) return undefined;
  return {
    user: `${config.usernamePrefix ?? ''}${user}`,
    groups: groups.map((g) => `${config.groupsPrefix ?? ''}${g}`),
    ...(payload.exp !== undefined ? { expiresAt: new Date(payload.exp * 1000) } : {}),
  };
}

export function oidcAuthenticator(config: OidcConfig, options: OidcOptions = {}): Authenticator {
  const keySet = keySetOf(config);
  const clockTolerance = config.clockSkewSeconds ?? 30;
  return async (token) => {
    if (token === undefined) return { ok: false, failure: missingToken };
    try {
      const { payload } = await jwtVerify(token, await keySet(), {
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance,
        requiredClaims: ['exp'],
        ...(options.now ? { currentDate: options.now() } : {}),
      });
      const identity = identityOf(payload, config);
      return identity ? { ok: true, identity } : { ok: false, failure: invalidToken };
    } catch (err) {
      return { ok: false, failure: err instanceof errors.JWTExpired ? expiredToken : invalidToken };
    }
  };
}
