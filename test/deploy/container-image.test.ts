/**
 * The container image itself, started with podman: `npm run image:build` (deploy/scripts/
 * image-build.sh; .ci/run runs it first) builds the Containerfile with buildah on a local Node 20
 * base, since no registry is reachable here. The image's entry point runs as uid 1000 on a
 * read-only root, prints its version and serves the demo fleet over HTTP; the image holds the
 * compiled build only — no dev dependency, no TypeScript source, nothing of the build machine's.
 *
 * Host networking (a free port on 127.0.0.1): the runs need no container network. runc where
 * installed (crun refuses these machines' hybrid cgroups), and rlimits no higher than this
 * process's (podman's defaults would raise them, which these machines forbid).
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './package-layout.ts';

const execFileAsync = promisify(execFile);
const image = process.env.CAPI_GATEWAY_IMAGE ?? 'localhost/capi-gateway:dev';

function skipReason(): string | undefined {
  if (spawnSync('podman', ['--version']).status !== 0) return 'podman is not installed';
  if (spawnSync('podman', ['image', 'exists', image]).status !== 0)
    return `no image ${image} (npm run image:build)`;
  return undefined;
}
const skip = skipReason();
if (skip) console.warn(`container image tests skipped: ${skip}`);

/** `podman [--runtime runc] run` and the flags every run here shares. */
function runFlags(network = 'host'): string[] {
  const hardNoFile = /^Max open files\s+\S+\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
  const nofile = Math.min(Number(hardNoFile ?? 4096), 65536);
  return [
    ...(spawnSync('runc', ['--version']).status === 0 ? ['--runtime', 'runc'] : []),
    'run',
    '--read-only',
    '--network',
    network,
    '--ulimit',
    `nofile=${nofile}:${nofile}`,
    '--ulimit',
    'nproc=4096:4096',
  ];
}

async function podman(args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('podman', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What the image holds, listed by node inside it (paths relative to /). */
const inventoryScript = `
const fs = require('node:fs');
const list = (dir) => {
  try { return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.parentPath + '/' + e.name); }
  catch { return []; }
};
const lock = JSON.parse(fs.readFileSync('/app/package-lock.json', 'utf8'));
const devInstalled = Object.entries(lock.packages).filter(([p, e]) => p && e.dev && fs.existsSync('/app/' + p)).map(([p]) => p);
const app = list('/app').filter((p) => !p.includes('/node_modules/'));
const personal = ['/root', '/home', '/tmp', '/usr/local/etc', '/usr/local/share/ca-certificates', '/run', '/etc'].flatMap(list);
const privateKeys = [...app, ...personal].filter((p) => { try { return /PRIVATE KEY-----/.test(fs.readFileSync(p, 'latin1')); } catch { return false; } });
console.log(JSON.stringify({
  devInstalled,
  topLevel: fs.readdirSync('/app/node_modules'),
  typeScript: app.filter((p) => /\\.(c|m)?ts$/.test(p)),
  appFiles: app.filter((p) => !p.startsWith('/app/dist/')),
  configFiles: [...app, ...personal].filter((p) => /(^|\\/)(\\.npmrc|npmrc|\\.env[^/]*|\\.netrc|\\.git-credentials|kubeconfig|[^/]*\\.kubeconfig|config\\.json|credentials|id_(rsa|ecdsa|ed25519))$/.test(p)),
  extraCas: list('/usr/local/share/ca-certificates'),
  privateKeys,
  npmCache: fs.existsSync('/root/.npm') || fs.existsSync('/home/node/.npm'),
}));
`;

describe.skipIf(skip)(`the container image ${skip ? '' : image}`, () => {
  const name = `capi-gateway-image-test-${process.pid}`;
  const flags = runFlags();

  afterAll(async () => {
    if (!skip) await execFileAsync('podman', ['rm', '--force', '--time', '5', name]).catch(() => undefined);
  });

  it('runs its entry point as uid 1000 on a read-only root: `--version` prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect((await podman([...flags, '--rm', image, '--version'])).trim()).toBe(version);
    const probe = await podman([
      ...flags,
      '--rm',
      '--entrypoint',
      'sh',
      image,
      '-c',
      'id -u; id -g; touch /app/x 2>/dev/null && echo root-writable; touch /tmp/x && echo tmp-writable',
    ]);
    expect(probe.trim().split('\n')).toEqual(['1000', '1000', 'tmp-writable']);
    const config = JSON.parse(await podman(['image', 'inspect', '--format', '{{json .Config}}', image])) as {
      User: string;
      Entrypoint: string[];
      Env: string[];
    };
    expect(config.User).toBe('1000:1000');
    expect(config.Entrypoint).toEqual(['node', '/app/bin/capi-gateway.mjs']);
    expect(config.Env.map((e) => e.split('=')[0]).sort()).toEqual([
      'HOME',
      'NODE_ENV',
      'NODE_VERSION',
      'PATH',
    ]);
  });

  it('holds production dependencies and the compiled build only, nothing of the build machine', async () => {
    const found = JSON.parse(
      await podman([...runFlags('none'), '--rm', '--entrypoint', 'node', image, '-e', inventoryScript]),
    ) as Record<string, unknown> & { topLevel: string[] };
    expect(found).toMatchObject({
      devInstalled: [],
      typeScript: [],
      configFiles: [],
      extraCas: [],
      privateKeys: [],
      npmCache: false,
    });
    for (const dev of ['typescript', 'vitest', 'eslint', 'prettier', '@graphql-codegen', 'playwright-core'])
      expect(found.topLevel).not.toContain(dev);
    expect((found.appFiles as string[]).sort()).toEqual([
      '/app/README.md',
      '/app/bin/capi-gateway.mjs',
      '/app/package-lock.json',
      '/app/package.json',
    ]);
  });

  it('serves the demo fleet: a GraphQL query over HTTP, answered by a uid-1000 process', async () => {
    const port = await freePort();
    await podman([
      ...flags,
      '--detach',
      '--rm',
      '--name',
      name,
      image,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      '/data',
    ]);
    const deadline = Date.now() + 90_000;
    let answer: unknown;
    for (;;) {
      if (Date.now() > deadline) {
        const logs = await execFileAsync('podman', ['logs', name]).catch((e: Error) => ({
          stderr: e.message,
        }));
        throw new Error(`no answer about the demo fleet on port ${port}:\n${logs.stderr}`);
      }
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ clusters { totalCount } managementClusters { name } }' }),
      }).catch(() => undefined);
      if (res?.ok) {
        answer = await res.json();
        if ((answer as { data?: { clusters?: { totalCount: number } } }).data?.clusters?.totalCount) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(answer).toMatchObject({
      data: { clusters: { totalCount: expect.any(Number) }, managementClusters: [{ name: 'embedded' }] },
    });
    // The served process, seen from the host: plain node on the compiled build, uid and gid 1000.
    const pid = (await podman(['inspect', '--format', '{{.State.Pid}}', name])).trim();
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    expect(/^Uid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/)).toEqual(['1000', '1000', '1000', '1000']);
    expect(/^Gid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/)).toEqual(['1000', '1000', '1000', '1000']);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 3)).toEqual([
      'node',
      '/app/bin/capi-gateway.mjs',
      'serve',
    ]);
    await podman(['stop', '--time', '10', name]);
  }, 120_000);
});
