import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliChild } from './cli-child.ts';

/** A Node stack trace has lines like `    at foo (file.ts:1:2)`. */
const stackLine = /^\s+at /m;

async function failure(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = runCli(args);
  const code = await child.exited;
  return { code, stderr: child.stderr(), stdout: child.stdout() };
}

describe('expected start-up failures: one line, no stack trace', () => {
  let dir: string;
  let running: CliChild | undefined;
  let squatter: Server;
  let takenPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-fail-'));
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    takenPort = (squatter.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await running?.stop('SIGKILL');
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('a second embedded on a data dir in use exits 2 naming the holder', async () => {
    const dataDir = join(dir, 'in-use');
    running = runCli(['embedded', '--no-demo', '--data-dir', dataDir]);
    await running.waitForStdout(/kubeconfig: /);
    const second = await failure(['embedded', '--no-demo', '--data-dir', dataDir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(
      `capi-gateway: cannot start the embedded management cluster: data dir ${dataDir} is in use ` +
        `by process ${running.child.pid}; stop it or use another --data-dir\n`,
    );
    expect(second.stdout).toBe('');
    // The first one is unharmed.
    expect(running.child.exitCode).toBeNull();
  });

  it('an --port in use exits 2', async () => {
    const result = await failure([
      'embedded',
      '--no-demo',
      '--data-dir',
      join(dir, 'port'),
      '--port',
      String(takenPort),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `capi-gateway: cannot start the embedded management cluster: 127.0.0.1:${takenPort} is already in use ` +
        `(choose another port, or 0 for a free one)\n`,
    );
  });

  it("serve with its embedded cluster's --api-port in use exits 2", async () => {
    const result = await failure([
      'serve',
      '--no-demo',
      '--data-dir',
      join(dir, 'serve-port'),
      '--port',
      '0',
      '--api-port',
      String(takenPort),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`127.0.0.1:${takenPort} is already in use`);
    expect(result.stderr).not.toMatch(stackLine);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a --data-dir that cannot be a directory exits 2', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const result = await failure(['embedded', '--no-demo', '--data-dir', join(file, 'sub')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^capi-gateway: cannot start the embedded management cluster: ENOTDIR/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a bad flag value is a usage error, not a stack trace', async () => {
    const result = await failure(['embedded', '--port', 'abc']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("option '--port <n>' argument 'abc' is invalid");
    expect(result.stderr).not.toMatch(stackLine);
  });

  it('a bad config file names the problem and exits 2', async () => {
    const config = join(dir, 'bad.yaml');
    await writeFile(config, 'managementClusters:\n  - name: 3\n');
    const result = await failure(['serve', '--config', config, '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^invalid config /);
    expect(result.stderr).not.toMatch(stackLine);
  });
});
