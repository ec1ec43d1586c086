/**
 * The embedded API server's PKI and bearer token: a CA and a serving certificate for the
 * loopback names, plus a random token — created once per data dir and kept there (mode 0600)
 * so kubeconfigs written earlier keep working after a restart, `kill -9` included.
 */
// @peculiar/x509's DI container (tsyringe) needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto, randomBytes } from 'node:crypto';
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
  token: 'token',
} as const;

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

async function generate(): Promise<ServerCredentials> {
  const subtle = webcrypto.subtle;
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = new Date(Date.now() + tenYears);
  const caKeys = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=capi-gateway-embedded-ca',
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = (await subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex'),
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keyDer = await subtle.exportKey('pkcs8', serverKeys.privateKey);
  return {
    caPem: ca.toString('pem') + '\n',
    certPem: cert.toString('pem') + '\n',
    keyPem: pem('PRIVATE KEY', keyDer),
    token: randomBytes(32).toString('base64url'),
  };
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

/** Loads the credentials from `dir/pki`, creating them on first use. */
export async function loadOrCreateCredentials(dir: string): Promise<ServerCredentials> {
  const pkiDir = join(dir, 'pki');
  const existing = await readExisting(pkiDir);
  if (existing) return existing;
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const created = await generate();
  // The token goes last: its presence marks a complete set.
  await writeFileAtomic(join(pkiDir, files.ca), created.caPem);
  await writeFileAtomic(join(pkiDir, files.cert), created.certPem);
  await writeFileAtomic(join(pkiDir, files.key), created.keyPem);
  await writeFileAtomic(join(pkiDir, files.token), created.token + '\n');
  return created;
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
