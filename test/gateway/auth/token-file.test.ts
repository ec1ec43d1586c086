/** The static token file (kube-apiserver's format) and the `auth` part of the gateway config. */
import { describe, expect, it } from 'vitest';
import { parseTokenFile, staticTokenAuthenticator } from '../../../src/auth/static-tokens.ts';
import { parseGatewayConfig } from '../../../src/config/load-config.ts';

describe('static token file', () => {
  it('reads token,user,uid and the quoted groups; skips blank lines and comments', async () => {
    const parsed = parseTokenFile(
      '# tokens\n\ntok-a,alice,uid-1,"admins,viewers"\ntok-b,bob,uid-2\ntok-c , carol , uid-3 , ops\n',
    );
    if (!parsed.ok) throw new Error(parsed.error);
    const authenticate = staticTokenAuthenticator(parsed.entries);
    expect(await authenticate('tok-a')).toEqual({
      ok: true,
      identity: { user: 'alice', groups: ['admins', 'viewers'] },
    });
    expect(await authenticate('tok-b')).toEqual({ ok: true, identity: { user: 'bob', groups: [] } });
    expect(await authenticate('tok-c')).toEqual({ ok: true, identity: { user: 'carol', groups: ['ops'] } });
    expect(await authenticate('tok-')).toMatchObject({ ok: false, failure: { reason: 'invalid' } });
    expect(await authenticate(undefined)).toMatchObject({ ok: false, failure: { reason: 'missing' } });
  });

  it('names a bad line by its number only, never its content (it holds a token)', () => {
    const parsed = parseTokenFile('tok-a,alice,uid-1\nsecret-token-without-user\n');
    expect(parsed).toEqual({ ok: false, error: 'line 2: expected token,user,uid[,"group1,group2"]' });
    expect(parseTokenFile('tok,"unterminated,uid')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^line 1:/) as string,
    });
    expect(parseTokenFile('# nothing\n')).toEqual({ ok: false, error: 'no tokens in the file' });
  });
});

describe('gateway config: auth', () => {
  const base = 'managementClusters:\n  - name: embedded\n    embedded: true\n';

  it('resolves the token file against the config file and keeps the OIDC settings', () => {
    const parsed = parseGatewayConfig(
      `${base}auth:\n  tokenFile: tokens.csv\n  accessReviewTtlSeconds: 5\n  oidc:\n    issuer: https://issuer.example\n    audience: gw\n    usernameClaim: email\n`,
      '/etc/capi-gateway',
    );
    expect(parsed).toEqual({
      ok: true,
      config: {
        managementClusters: [{ name: 'embedded', embedded: true }],
        auth: {
          tokenFile: '/etc/capi-gateway/tokens.csv',
          accessReviewTtlSeconds: 5,
          oidc: { issuer: 'https://issuer.example', audience: 'gw', usernameClaim: 'email' },
        },
      },
    });
  });

  it('refuses unknown keys and OIDC without issuer or audience', () => {
    expect(parseGatewayConfig(`${base}auth:\n  mode: magic\n`, '/')).toMatchObject({
      ok: false,
      error: expect.stringContaining("auth: must NOT have additional properties 'mode'") as string,
    });
    expect(parseGatewayConfig(`${base}auth:\n  oidc:\n    issuer: https://i.example\n`, '/')).toMatchObject({
      ok: false,
      error: expect.stringContaining("must have required property 'audience'") as string,
    });
  });
});
