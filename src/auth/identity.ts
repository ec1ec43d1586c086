/** Who is asking: the user and groups the management clusters' RBAC will evaluate. */
export interface Identity {
  user: string;
  groups: string[];
  /** When the credential stops being valid (a JWT's exp); none for static tokens. */
  expiresAt?: Date;
}

/** Why a request carries no identity: no token, a token nobody issued, or one that expired. */
export interface AuthFailure {
  reason: 'missing' | 'invalid' | 'expired';
  /** Safe to show: never the token or a verifier's internals. */
  message: string;
}

export type AuthResult = { ok: true; identity: Identity } | { ok: false; failure: AuthFailure };

/** A bearer token in, an identity (or why not) out. */
export type Authenticator = (token: string | undefined) => Promise<AuthResult>;

export const missingToken: AuthFailure = {
  reason: 'missing',
  message: 'authentication required: send a bearer token',
};

export const invalidToken: AuthFailure = { reason: 'invalid', message: 'the bearer token is not valid' };

export const expiredToken: AuthFailure = { reason: 'expired', message: 'the bearer token has expired' };

/** Every authenticated user is in this group, as kube-apiserver adds it (RBAC rules may name it). */
export const authenticatedGroup = 'system:authenticated';
