import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWith, readKubeconfig, runCli, type CliChild } from './cli-child.ts';

const started = /embedded management cluster: (https:\/\/\S+)/;

describe('a restarted embedded management cluster with --port 0', () => {
  let dir: string;
  const children: CliChild[] = [];
  const start = (args: string[]) => {
    const child = runCli(args);
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-port-'));
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop('SIGKILL')));
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its address across SIGTERM and kill -9, so a client that read the kubeconfig reconnects', async () => {
    const dataDir = join(dir, 'embedded');
    const args = ['embedded', '--no-demo', '--data-dir', dataDir, '--port', '0'];
    const first = start(args);
    const [, url] = await first.waitForStdout(started);
    const before = await readKubeconfig(dataDir);
    expect(before.server).toBe(url);
    expect(await getWith(before, '/api/v1/namespaces/default')).toBe(200);

    await first.stop('SIGTERM');
    const second = start(args);
    expect((await second.waitForStdout(started))[1]).toBe(url);
    expect(await getWith(before, '/api/v1/namespaces/default')).toBe(200);

    await second.stop('SIGKILL');
    const third = start(args);
    expect((await third.waitForStdout(started))[1]).toBe(url);
    expect(third.stdout()).not.toContain('note:');
    expect(await getWith(before, '/api/v1/namespaces/default')).toBe(200);
    expect((await readKubeconfig(dataDir)).server).toBe(url);
    await third.stop();
  });

  it('takes a new free port when the old one is taken, says so, and rewrites the kubeconfig', async () => {
    const dataDir = join(dir, 'taken');
    const args = ['embedded', '--no-demo', '--data-dir', dataDir, '--port', '0'];
    const first = start(args);
    const [, url] = await first.waitForStdout(started);
    await first.stop();
    const oldPort = Number(new URL(url!).port);
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(oldPort, '127.0.0.1', resolve));
    try {
      const second = start(args);
      const [, newUrl] = await second.waitForStdout(started);
      expect(newUrl).not.toBe(url);
      await second.waitForStdout(/note: port \d+ of the previous run is in use/);
      expect(second.stdout()).toContain(`note: port ${oldPort} of the previous run is in use`);
      expect((await readKubeconfig(dataDir)).server).toBe(newUrl);
      await second.stop();
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('serve --api-port 0 keeps the embedded API server address too', async () => {
    const dataDir = join(dir, 'serve');
    const args = ['serve', '--no-demo', '--data-dir', dataDir, '--port', '0', '--api-port', '0'];
    const first = start(args);
    const [, url] = await first.waitForStdout(started);
    await first.waitForStdout(/GraphQL: /);
    await first.stop();
    const second = start(args);
    expect((await second.waitForStdout(started))[1]).toBe(url);
    await second.waitForStdout(/GraphQL: /);
    await second.stop();
  });

  it('--ephemeral still picks a fresh port (nothing to remember)', async () => {
    const dataDir = join(dir, 'ephemeral');
    const args = ['embedded', '--no-demo', '--ephemeral', '--data-dir', dataDir, '--port', '0'];
    const first = start(args);
    const [, url] = await first.waitForStdout(started);
    // Hold the old port so a reuse would have to fail loudly rather than by chance.
    const old = Number(new URL(url!).port);
    await first.stop();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(old, '127.0.0.1', resolve));
    try {
      const second = start(args);
      expect((await second.waitForStdout(started))[1]).not.toBe(url);
      expect(second.stdout()).not.toContain('note:');
      await second.stop();
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
