import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childTracker, finished, getWith, graphqlLine, readKubeconfig } from './cli-child.ts';

const started = /embedded management cluster: (https:\/\/\S+)/;
const kubeconfigLine = /kubeconfig: (\S+)/;

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('the data dir: one holder, and only it writes the kubeconfig', () => {
  const children = childTracker();
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-lock-'));
  });
  afterEach(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('serve --ephemeral next to a running serve (same folder) leaves its kubeconfig alone', async () => {
    // `npm start` and `npm start -- --ephemeral` in the same checkout: the default data dir.
    const first = children.start(['serve', '--no-demo', '--port', '0'], { cwd: dir });
    await first.waitForStdout(graphqlLine);
    const dataDir = join(dir, '.capi-gateway');
    const kubeconfigText = await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8');

    const ephemeral = children.start(['serve', '--no-demo', '--ephemeral', '--port', '0'], { cwd: dir });
    await ephemeral.waitForStdout(graphqlLine);
    const ephemeralKubeconfig = (await ephemeral.waitForStdout(kubeconfigLine))[1]!;
    expect(ephemeralKubeconfig.startsWith(dataDir)).toBe(false);
    expect(ephemeral.stdout()).toContain('ephemeral: objects in memory, this dir removed on exit');
    expect(await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8')).toBe(kubeconfigText);

    await ephemeral.stop();
    expect(await exists(ephemeralKubeconfig)).toBe(false);
    // The first gateway's kubectl command still reaches the first cluster.
    expect(await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8')).toBe(kubeconfigText);
    expect(await getWith(await readKubeconfig(dataDir), '/api/v1/namespaces/default')).toBe(200);
  });

  it('--ephemeral with an explicit --data-dir in use is refused, and writes nothing there', async () => {
    const dataDir = join(dir, 'data');
    const first = children.start(['embedded', '--no-demo', '--data-dir', dataDir, '--port', '0']);
    await first.waitForStdout(started);
    const kubeconfigText = await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8');
    const second = await finished([
      'serve',
      '--no-demo',
      '--ephemeral',
      '--data-dir',
      dataDir,
      '--port',
      '0',
    ]);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(
      `capi-gateway: cannot start the embedded management cluster: data dir ${dataDir} is in use ` +
        `by process ${first.child.pid}; stop it or use another --data-dir\n`,
    );
    expect(second.stdout).toBe('');
    expect(await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8')).toBe(kubeconfigText);
  });

  it('keeps the API port across restarts on another --host', async () => {
    const dataDir = join(dir, 'data');
    const run = async (host: string) => {
      const child = children.start([
        'embedded',
        '--no-demo',
        '--data-dir',
        dataDir,
        '--port',
        '0',
        '--host',
        host,
      ]);
      const url = new URL((await child.waitForStdout(started))[1]!);
      await child.stop();
      return { port: url.port, host: url.hostname, notes: child.stdout().includes('note:') };
    };
    const first = await run('127.0.0.1');
    expect(await run('0.0.0.0')).toEqual({ ...first, notes: false });
    expect(await run('127.0.0.1')).toEqual({ ...first, notes: false });
  });
});
