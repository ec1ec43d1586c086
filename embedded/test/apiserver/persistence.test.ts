/** Acknowledged writes survive kill -9 of a real `capi-gateway embedded` process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, type RawClient } from './raw-client.ts';

const bin = fileURLToPath(new URL('../../../bin/capi-gateway.mjs', import.meta.url));

interface Running {
  child: ChildProcess;
  client: RawClient;
}

async function startEmbedded(dataDir: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    [bin, 'embedded', '--no-demo', '--data-dir', dataDir, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`embedded did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('kubeconfig:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`embedded exited with ${code}: ${err}`)));
  });
  const kubeconfig = parse(await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const cluster = kubeconfig.clusters[0]!.cluster;
  return {
    child,
    client: rawClient({
      url: cluster.server,
      caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
      token: kubeconfig.users[0]!.user.token,
    }),
  };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const configMap = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { name },
});

describe('persistence of the embedded API server', () => {
  let dataDir: string;
  let running: Running | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-persist-'));
  });
  afterAll(async () => {
    if (running) await killHard(running.child);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write across kill -9, and the same credentials', async () => {
    running = await startEmbedded(dataDir);
    const before = running.client;
    const kubeconfigBefore = await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8');
    for (const file of ['pki/token', 'pki/apiserver.key', 'embedded.kubeconfig', 'store.wal']) {
      expect((await stat(join(dataDir, file))).mode & 0o777).toBe(0o600);
    }

    // A steady stream of writes; the process dies in the middle of it.
    const acknowledged: string[] = [];
    let stop = false;
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; !stop; i++) {
        const name = `w${w}-${i}`;
        try {
          const res = await before.send('POST', '/api/v1/namespaces/default/configmaps', configMap(name));
          if (res.status === 201) acknowledged.push(name);
        } catch {
          return; // the connection died with the process
        }
      }
    });
    while (acknowledged.length < 60) await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await before.send(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/w0-0',
      { data: { patched: 'yes' } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(updated.status).toBe(200);
    const deleted = await before.send('DELETE', '/api/v1/namespaces/default/configmaps/w1-0');
    expect(deleted.status).toBe(200);
    await killHard(running.child);
    stop = true;
    await Promise.all(writers);
    running = undefined;

    // A torn record at the end of the log (a crash mid-append) is ignored on replay.
    await appendFile(join(dataDir, 'store.wal'), '{"v":999999,"k":"configmaps","o":{"apiVer');

    running = await startEmbedded(dataDir);
    // Same CA and token (the port is new: --port 0 picks a free one).
    const withoutServer = (text: string) => text.replace(/server: .*/, '');
    expect(withoutServer(await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8'))).toBe(
      withoutServer(kubeconfigBefore),
    );
    const list = (await running.client.send('GET', '/api/v1/namespaces/default/configmaps')).json() as {
      items: Array<{ metadata: { name: string; resourceVersion: string }; data: Record<string, string> }>;
    };
    const names = new Set(list.items.map((i) => i.metadata.name));
    const missing = acknowledged.filter((n) => n !== 'w1-0' && !names.has(n));
    expect(missing).toEqual([]);
    expect(names.has('w1-0')).toBe(false);
    expect(list.items.find((i) => i.metadata.name === 'w0-0')?.data).toEqual({
      name: 'w0-0',
      patched: 'yes',
    });

    // resourceVersions keep growing after the restart.
    const maxRv = Math.max(...list.items.map((i) => Number(i.metadata.resourceVersion)));
    const fresh = (
      await running.client.send('POST', '/api/v1/namespaces/default/configmaps', configMap('after-restart'))
    ).json() as {
      metadata: { resourceVersion: string };
    };
    expect(Number(fresh.metadata.resourceVersion)).toBeGreaterThan(maxRv);
  });

  it('refuses a second server on a data dir in use', async () => {
    running ??= await startEmbedded(dataDir);
    await expect(startEmbedded(dataDir)).rejects.toThrow(/in use by process/);
  });
});
