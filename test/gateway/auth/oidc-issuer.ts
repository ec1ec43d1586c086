/**
 * A local OpenID Connect issuer for tests: an HTTP server with a discovery document and a JWKS
 * of freshly generated keys, and a signer for tokens with any claims (expired, other audience,
 * other issuer, signed by a key it does not publish).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface TokenClaims extends JWTPayload {
  groups?: string[];
}

export interface TestIssuer {
  issuer: string;
  jwksUri: string;
  /** Signs with the published key unless `unpublishedKey`. */
  sign(claims: TokenClaims, options?: { unpublishedKey?: boolean }): Promise<string>;
  /** Requests the JWKS was fetched with. */
  jwksRequests(): number;
  stop(): Promise<void>;
}

const alg = 'RS256';

export async function startTestIssuer(): Promise<TestIssuer> {
  const published = await generateKeyPair(alg, { extractable: true });
  const unpublished = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'test-key', alg, use: 'sig' };
  let jwksRequests = 0;
  let base = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }));
    } else if (req.url === '/jwks') {
      jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (claims: TokenClaims, options: { unpublishedKey?: boolean } = {}): Promise<string> => {
    const key: CryptoKey = options.unpublishedKey ? unpublished.privateKey : published.privateKey;
    return new SignJWT(claims).setProtectedHeader({ alg, kid: 'test-key' }).sign(key);
  };
  return {
    issuer: base,
    jwksUri: `${base}/jwks`,
    sign,
    jwksRequests: () => jwksRequests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
