/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or undefined. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1];
}

/**
 * The token a graphql-ws client sends in its `connection_init` payload: `{ token }`, or
 * `{ authorization: 'Bearer …' }` / `{ Authorization: … }` as browser clients send headers.
 */
export function connectionParamsToken(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const p = params as Record<string, unknown>;
  if (typeof p['token'] === 'string' && p['token'] !== '') return p['token'];
  const header = p['authorization'] ?? p['Authorization'];
  return typeof header === 'string' ? bearerToken(header) : undefined;
}
