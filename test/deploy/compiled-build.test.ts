/**
 * The compiled build as the container image runs it: plain `node` on dist/ with production
 * dependencies only and no TypeScript anywhere outside node_modules. `--version` and the demo
 * (`serve` on the embedded management cluster with its demo fleet) answer a query.
 */
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackageLayout, type PackageLayout } from './package-layout.ts';

const run = promisify(execFile);

async function typeScriptFilesOutsideNodeModules(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(c|m)?ts$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => !p.includes('/node_modules/'));
}

describe('the compiled build with production dependencies only', () => {
  let layout: PackageLayout;

  beforeAll(async () => {
    layout = await buildPackageLayout();
  }, 600_000);
  afterAll(async () => {
    await layout?.remove();
  });

  it('ships JavaScript only: no TypeScript source, no dev dependency', async () => {
    expect(await typeScriptFilesOutsideNodeModules(layout.dir)).toEqual([]);
    const installed = await readdir(join(layout.dir, 'node_modules'));
    for (const dev of ['typescript', 'vitest', 'eslint', 'prettier', '@graphql-codegen']) {
      expect(installed).not.toContain(dev);
    }
  });

  it('carries the CLI’s and the dashboard’s documents, where `serve --trusted-documents` looks for them', async () => {
    const compiled = (await import(join(layout.dir, 'dist/src/cli/bundled-documents.js'))) as {
      bundledDocuments: string[];
    };
    expect(compiled.bundledDocuments).toEqual([
      join(layout.dir, 'dist/client/documents'),
      join(layout.dir, 'dist/web/documents'),
    ]);
    for (const dir of compiled.bundledDocuments)
      expect((await readdir(dir)).filter((n) => n.endsWith('.graphql')).length, dir).toBeGreaterThan(2);
  });

  it('`capi-gateway --version` prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(layout.dir, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { stdout } = await run(process.execPath, [layout.bin, '--version']);
    expect(stdout.trim()).toBe(version);
  });

  it('`npm pack` would publish bin/ and dist/, not the sources or tests', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: layout.dir,
    });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(
      (f) => f.path,
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/capi-gateway.mjs',
        'dist/src/main.js',
        'dist/embedded/apiserver/schema/generated/capi-schemas.json',
        'package.json',
      ]),
    );
    expect(files.filter((f) => !/^(bin|dist)\/|^package\.json$|^README\.md$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it('`capi-gateway serve` runs the demo and answers a query about its fleet', async () => {
    const dataDir = join(layout.dir, 'data');
    const child = spawn(process.execPath, [layout.bin, 'serve', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: layout.dir,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const deadline = Date.now() + 90_000;
      let answer: unknown;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`no answer about the demo fleet:\n${out}`);
        const url = /GraphQL: (http:\/\/\S+)/.exec(out)?.[1];
        if (url) {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ clusters { totalCount } managementClusters { name } }' }),
          });
          answer = await res.json();
          if ((answer as { data?: { clusters?: { totalCount: number } } }).data?.clusters?.totalCount) break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(answer).toMatchObject({
        data: { clusters: { totalCount: expect.any(Number) }, managementClusters: [{ name: 'embedded' }] },
      });
      expect(out).not.toMatch(/tsx/);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
  }, 120_000);
});
