/** The gateway's authenticator, from its `auth` config: static tokens, then OIDC. */
import type { AuthConfig } from '../config/gateway-config.ts';
import { missingToken, type AuthFailure, type Authenticator } from './identity.ts';
import { oidcAuthenticator, type OidcOptions } from './oidc.ts';
import { loadTokenFile, staticTokenAuthenticator } from './static-tokens.ts';

/** Whether the config asks for authentication at all (`auth` with a token file or OIDC). */
export function authConfigured(config: AuthConfig | undefined): boolean {
  return !!config && (config.tokenFile !== undefined || config.oidc !== undefined);
}

/** Tries each in turn; the first identity wins, an expired token is said to be expired. */
export function firstOf(authenticators: readonly Authenticator[]): Authenticator {
  return async (token) => {
    if (token === undefined) return { ok: false, failure: missingToken };
    let failure: AuthFailure | undefined;
    for (const authenticate of authenticators) {
      const result = await authenticate(token);
      if (result.ok) return result;
      if (failure === undefined || result.failure.reason === 'expired') failure = result.failure;
    }
    return { ok: false, failure: failure ?? missingToken };
  };
}

export type AuthenticatorResult = { ok: true; authenticate: Authenticator } | { ok: false; error: string };

/** The authenticator `config` describes (its token file read now), or why it cannot be built. */
export async function buildAuthenticator(
  config: AuthConfig,
  options: OidcOptions = {},
): Promise<AuthenticatorResult> {
  const authenticators: Authenticator[] = [];
  if (config.tokenFile !== undefined) {
    const loaded = await loadTokenFile(config.tokenFile);
    if (!loaded.ok) return { ok: false, error: `auth.tokenFile: ${loaded.error}` };
    authenticators.push(staticTokenAuthenticator(loaded.entries));
  }
  if (config.oidc) authenticators.push(oidcAuthenticator(config.oidc, options));
  if (authenticators.length === 0) return { ok: false, error: 'auth: configure tokenFile or oidc' };
  return { ok: true, authenticate: firstOf(authenticators) };
}
