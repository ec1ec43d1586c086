/**
 * The embedded API server's PKI and bearer token: a CA and a serving certificate for the
 * loopback names (plus the addresses it is asked to serve on), plus a random token — created
 * once per data dir and kept there (mode 0600) so kubeconfigs written earlier keep working after
 * a restart, `kill -9` included. A serving certificate that does not cover an address asked for
 * later is re-issued by the same CA, so those kubeconfigs stay valid.
 */
// @peculiar/x509's DI container (tsyringe) needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { mkdir, readFile, rename, open } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export interface ServerCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
  token: string;
}

const files = {
  ca: 'ca.crt',
  cert: 'apiserver.crt',
  key: 'apiserver.key',
  caKey: 'ca.key',
  token: 'token',
} as const;

const loopbackNames = ['localhost', '127.0.0.1', '::1'];

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const tenYears = 10 * 365 * 24 * 3600 * 1000;

// The DOM `Crypto` type is not in this project's lib; Node's webcrypto is that object.
x509.cryptoProvider.set(webcrypto as never);

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** An IP address in one spelling (`::1`, never `0:0:0:0:0:0:0:1`); a DNS name lowercased. */
function canonicalName(name: string): string {
  if (isIP(name) === 6) return new URL(`https://[${name}]`).hostname.slice(1, -1);
  return name.toLowerCase();
}

function subjectAltNames(names: string[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(
    names.map((value) => ({ type: isIP(value) ? ('ip' as const) : ('dns' as const), value })),
  );
}

/** The DNS names and IP addresses a serving certificate covers. */
function namesOf(certPem: string): Set<string> {
  const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  return new Set((san?.names.toJSON() ?? []).map((n) => canonicalName(n.value)));
}

interface Authority {
  cert: x509.X509Certificate;
  privateKey: webcrypto.CryptoKey;
}

async function createAuthority(): Promise<Authority & { keyPem: string }> {
  const subtle = webcrypto.subtle;
  const keys = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=capi-gateway-embedded-ca',
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + tenYears),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = pem('PRIVATE KEY', await subtle.exportKey('pkcs8', keys.privateKey));
  return { cert, privateKey: keys.privateKey, keyPem };
}

async function readAuthority(caPem: string, keyPem: string): Promise<Authority> {
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, algorithm, true, ['sign']);
  return { cert: new x509.X509Certificate(caPem), privateKey };
}

async function issueServingCert(
  ca: Authority,
  names: string[],
): Promise<{ certPem: string; keyPem: string }> {
  const subtle = webcrypto.subtle;
  const serverKeys = (await subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex'),
    subject: 'CN=kube-apiserver',
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + tenYears),
    signingAlgorithm: algorithm,
    publicKey: serverKeys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      subjectAltNames(names),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  const keyDer = await subtle.exportKey('pkcs8', serverKeys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', keyDer) };
}

/** Writes via a temp file + fsync + rename, so a crash never leaves a half-written file. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

async function readExisting(dir: string): Promise<ServerCredentials | undefined> {
  try {
    const [caPem, certPem, keyPem, token] = await Promise.all(
      [files.ca, files.cert, files.key, files.token].map((f) => readFile(join(dir, f), 'utf8')),
    );
    if (!caPem || !certPem || !keyPem || !token?.trim()) return undefined;
    return { caPem, certPem, keyPem, token: token.trim() };
  } catch {
    return undefined;
  }
}

async function writeServing(pkiDir: string, serving: { certPem: string; keyPem: string }): Promise<void> {
  await writeFileAtomic(join(pkiDir, files.cert), serving.certPem);
  await writeFileAtomic(join(pkiDir, files.key), serving.keyPem);
}

/** A new CA and serving certificate; the token of an older set is kept when there is one. */
async function createAll(pkiDir: string, names: string[], token?: string): Promise<ServerCredentials> {
  const ca = await createAuthority();
  const serving = await issueServingCert(ca, names);
  const created = {
    caPem: ca.cert.toString('pem') + '\n',
    ...serving,
    token: token ?? randomBytes(32).toString('base64url'),
  };
  // The token goes last: its presence marks a complete set.
  await writeFileAtomic(join(pkiDir, files.caKey), ca.keyPem);
  await writeFileAtomic(join(pkiDir, files.ca), created.caPem);
  await writeServing(pkiDir, serving);
  await writeFileAtomic(join(pkiDir, files.token), created.token + '\n');
  return created;
}

/**
 * Loads the credentials from `dir/pki`, creating them on first use. The serving certificate
 * covers the loopback names and `names` (the addresses the server is reached at); when it does
 * not yet, it is re-issued by the same CA (covering the old names too), or — for a data dir
 * from a build that did not keep the CA key — CA and certificate are created anew, token kept.
 */
export async function loadOrCreateCredentials(dir: string, names: string[] = []): Promise<ServerCredentials> {
  const pkiDir = join(dir, 'pki');
  const wanted = [...new Set([...loopbackNames, ...names].map(canonicalName))];
  const existing = await readExisting(pkiDir);
  if (!existing) {
    await mkdir(pkiDir, { recursive: true, mode: 0o700 });
    return createAll(pkiDir, wanted);
  }
  const covered = namesOf(existing.certPem);
  if (wanted.every((name) => covered.has(name))) return existing;
  const caKeyPem = await readFile(join(pkiDir, files.caKey), 'utf8').catch(() => undefined);
  if (caKeyPem === undefined) return createAll(pkiDir, wanted, existing.token);
  const serving = await issueServingCert(await readAuthority(existing.caPem, caKeyPem), [
    ...new Set([...covered, ...wanted]),
  ]);
  await writeServing(pkiDir, serving);
  return { ...existing, ...serving };
}

export async function writeKubeconfig(
  path: string,
  url: string,
  credentials: ServerCredentials,
): Promise<void> {
  const ca = Buffer.from(credentials.caPem).toString('base64');
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: capi-gateway-embedded',
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: capi-gateway-embedded-admin',
    '  user:',
    `    token: ${credentials.token}`,
    'contexts:',
    '- name: capi-gateway-embedded',
    '  context:',
    '    cluster: capi-gateway-embedded',
    '    user: capi-gateway-embedded-admin',
    '    namespace: default',
    'current-context: capi-gateway-embedded',
    '',
  ].join('\n');
  await writeFileAtomic(path, text);
}
