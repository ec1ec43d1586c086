import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished } from './cli-child.ts';

/** A Node stack trace has lines like `    at foo (file.ts:1:2)`. */
const stackLine = /^\s+at /m;

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('serve checks its ports before it starts or writes anything', () => {
  let dir: string;
  let squatter: Server;
  let taken: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-ports-'));
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    taken = (squatter.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('a busy GraphQL port: one line naming --port, no stack, no data dir', async () => {
    const dataDir = join(dir, 'graphql');
    const result = await finished(['serve', '--port', String(taken), '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `capi-gateway: cannot start the gateway: 127.0.0.1:${taken} is already in use ` +
        `(choose another --port, or --port 0 for a free one)\n`,
    );
    expect(result.stderr).not.toMatch(stackLine);
    expect(result.stdout).toBe('');
    expect(await exists(dataDir)).toBe(false);
  });

  it('a busy --api-port: one line naming --api-port, no data dir', async () => {
    const dataDir = join(dir, 'api');
    const result = await finished([
      'serve',
      '--port',
      '0',
      '--api-port',
      String(taken),
      '--data-dir',
      dataDir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `capi-gateway: cannot start the embedded management cluster: 127.0.0.1:${taken} is already in use ` +
        `(choose another --api-port, or --api-port 0 for a free one)\n`,
    );
    expect(result.stdout).toBe('');
    expect(await exists(dataDir)).toBe(false);
  });

  it('a --host that is not an address of this machine: one line naming --host', async () => {
    const dataDir = join(dir, 'host');
    // A non-loopback --host needs authentication first (host.test.ts); with it, the address is what fails.
    await writeFile(join(dir, 'tokens.csv'), 'ports-test-token-0123456789abcdef,admin,uid-admin\n', {
      mode: 0o600,
    });
    const config = join(dir, 'gateway.yaml');
    await writeFile(
      config,
      'managementClusters:\n  - name: embedded\n    embedded: true\nauth:\n  tokenFile: tokens.csv\n',
    );
    const result = await finished([
      'serve',
      '--config',
      config,
      '--host',
      '192.0.2.254',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^capi-gateway: cannot start the gateway: cannot listen on 192\.0\.2\.254: .*--host/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await exists(dataDir)).toBe(false);
  });
});
