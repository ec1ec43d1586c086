import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  childTracker,
  finished,
  getWith,
  graphqlLine,
  pollUntil,
  probe,
  readKubeconfig,
} from './cli-child.ts';

/** An IPv4 address of this machine other than loopback, if it has one. */
const external = Object.values(networkInterfaces())
  .flatMap((addresses) => addresses ?? [])
  .find((a) => a.family === 'IPv4' && !a.internal)?.address;

const started = /embedded management cluster: (https:\/\/\S+)/;

const token = 'host-test-token-0123456789abcdef';

/** POST a query with the bearer token (or none); the status and JSON response. */
async function query(graphqlUrl: string, text: string, bearer: string | null = token): Promise<unknown> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query: text }),
  });
  return res.status === 200 ? res.json() : { status: res.status };
}

/** A config with the embedded cluster and a token file: what a non-loopback --host requires. */
async function authConfig(dir: string): Promise<string> {
  await writeFile(join(dir, 'tokens.csv'), `${token},admin,uid-admin,"system:masters"\n`, { mode: 0o600 });
  const config = join(dir, 'gateway.yaml');
  await writeFile(
    config,
    'managementClusters:\n  - name: embedded\n    embedded: true\nauth:\n  tokenFile: tokens.csv\n',
  );
  return config;
}

describe('serve --host with a non-loopback address', () => {
  const children = childTracker();
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-host-'));
  });
  afterEach(async () => {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('--host 0.0.0.0 without authentication refuses to start: a clear message, exit 2, nothing written', async () => {
    const dataDir = join(dir, 'data');
    const result = await finished(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'capi-gateway: refusing to serve GraphQL on 0.0.0.0 without authentication: anyone who reaches it could read and change the fleet.',
    );
    expect(result.stderr).toContain('--host 127.0.0.1');
    expect(result.stdout).not.toContain('GraphQL:');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('--host 0.0.0.0 with authentication serves GraphQL on every address (401 without a token), with the demo fleet and a kubeconfig naming a covered address', async () => {
    const dataDir = join(dir, 'data');
    const gateway = children.start([
      'serve',
      '--config',
      await authConfig(dir),
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--speed',
      '20',
    ]);
    const url = (await gateway.waitForStdout(graphqlLine))[1]!;
    expect(gateway.stderr()).toContain('capi-gateway: GraphQL requires a bearer token');
    // The embedded API server: its kubeconfig names loopback (never 0.0.0.0), and TLS verifies.
    const kubeconfig = await readKubeconfig(dataDir);
    expect(new URL(kubeconfig.server).hostname).toBe('127.0.0.1');
    expect(await getWith(kubeconfig, '/api/v1/namespaces/default')).toBe(200);
    expect(await getWith({ ...kubeconfig, token: 'wrong' }, '/api/v1/namespaces/default')).toBe(401);
    // The demo fleet was installed through that kubeconfig.
    // The printed URL is one to open: loopback, never the wildcard.
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const local = url;
    await pollUntil(
      'ready',
      () => probe(local, '/readyz'),
      (r) => r.status === 200,
    );
    expect(await query(local, '{ managementClusters { name reachable } }', null)).toEqual({
      status: 401,
    });
    // /readyz is also 200 for a management cluster marked unavailable (a slow first sync on a
    // loaded machine): the cluster is reachable once it has synced.
    expect(
      await pollUntil(
        'the embedded management cluster reachable',
        () => query(local, '{ managementClusters { name reachable } }'),
        (r) => JSON.stringify(r).includes('"reachable":true'),
      ),
    ).toEqual({
      data: { managementClusters: [{ name: 'embedded', reachable: true }] },
    });
    expect(gateway.stderr()).not.toContain('was not installed');
    if (external !== undefined) {
      const remote = url.replace('127.0.0.1', external);
      expect(await query(remote, '{ managementClusters { name } }', null)).toEqual({ status: 401 });
      expect(await query(remote, '{ managementClusters { name } }')).toEqual({
        data: { managementClusters: [{ name: 'embedded' }] },
      });
      // The certificate also covers this machine's addresses, for a kubectl elsewhere.
      const server = kubeconfig.server.replace('127.0.0.1', external);
      expect(await getWith({ ...kubeconfig, server }, '/api/v1/namespaces/default')).toBe(200);
    }
  });

  it.skipIf(external === undefined)(
    '--host ADDR: GraphQL and the API server listen there; the certificate is re-issued to cover it and the port is kept',
    async () => {
      const dataDir = join(dir, 'data');
      const args = ['--no-demo', '--port', '0', '--api-port', '0', '--data-dir', dataDir];
      const first = children.start(['serve', ...args]);
      const firstUrl = (await first.waitForStdout(started))[1]!;
      await first.waitForStdout(graphqlLine);
      expect(first.stderr()).not.toContain('warning');
      const before = await readKubeconfig(dataDir);
      await first.stop();

      const second = children.start([
        'serve',
        '--config',
        await authConfig(dir),
        '--host',
        external!,
        ...args,
      ]);
      const apiUrl = (await second.waitForStdout(started))[1]!;
      const url = (await second.waitForStdout(graphqlLine))[1]!;
      expect(new URL(url).hostname).toBe(external);
      expect(second.stderr()).toContain('capi-gateway: GraphQL requires a bearer token');
      expect(new URL(apiUrl).port).toBe(new URL(firstUrl).port);
      expect(second.stdout()).not.toContain('note:');
      const kubeconfig = await readKubeconfig(dataDir);
      expect(kubeconfig.server).toBe(`https://${external}:${new URL(firstUrl).port}`);
      // Same CA and token: a kubeconfig read before, pointed at the new address, still verifies.
      expect(kubeconfig.caPem).toBe(before.caPem);
      expect(await getWith({ ...before, server: kubeconfig.server }, '/api/v1/namespaces/default')).toBe(200);
      await pollUntil(
        'ready',
        () => probe(url, '/readyz'),
        (r) => r.status === 200,
      );
      expect(await query(url, '{ managementClusters { name reachable } }')).toEqual({
        data: { managementClusters: [{ name: 'embedded', reachable: true }] },
      });
    },
  );
});
