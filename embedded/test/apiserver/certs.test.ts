import 'reflect-metadata';
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateCredentials } from '../../apiserver/certs.ts';

const names = (certPem: string) => new X509Certificate(certPem).subjectAltName;

describe('the serving certificate covers the addresses asked for', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedded-certs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is kept while it covers them, re-issued by the same CA when it does not', async () => {
    const first = await loadOrCreateCredentials(dir);
    expect(names(first.certPem)).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(await loadOrCreateCredentials(dir, ['::1', 'localhost'])).toEqual(first);

    const second = await loadOrCreateCredentials(dir, ['10.1.2.3', 'gw.example']);
    expect(second.caPem).toBe(first.caPem);
    expect(second.token).toBe(first.token);
    expect(names(second.certPem)).toContain('IP Address:10.1.2.3');
    expect(names(second.certPem)).toContain('DNS:gw.example');
    expect(new X509Certificate(second.certPem).verify(new X509Certificate(first.caPem).publicKey)).toBe(true);
    // The old names stay covered, so switching back does not re-issue again.
    expect(await loadOrCreateCredentials(dir)).toEqual(second);
    expect(await readFile(join(dir, 'pki', 'apiserver.crt'), 'utf8')).toBe(second.certPem);
  });

  it('a data dir without the CA key (an older build) gets a new CA, keeping its token', async () => {
    const first = await loadOrCreateCredentials(dir);
    await unlink(join(dir, 'pki', 'ca.key'));
    const second = await loadOrCreateCredentials(dir, ['10.1.2.3']);
    expect(second.caPem).not.toBe(first.caPem);
    expect(second.token).toBe(first.token);
    expect(new X509Certificate(second.certPem).verify(new X509Certificate(second.caPem).publicKey)).toBe(
      true,
    );
    expect(names(second.certPem)).toContain('IP Address:10.1.2.3');
  });
});
