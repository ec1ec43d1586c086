/**
 * What the container image's final stage holds, built in a temporary directory: package.json,
 * package-lock.json, bin/, dist/ (`npm run build`) and `npm ci --omit=dev` — production
 * dependencies only, no TypeScript sources, no tsx needed. Offline from the npm cache, as the
 * image build's first stage would do it from the registry.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface PackageLayout {
  dir: string;
  bin: string;
  remove(): Promise<void>;
}

export async function buildPackageLayout(): Promise<PackageLayout> {
  const dir = await mkdtemp(join(tmpdir(), 'capi-gateway-image-'));
  await run(process.execPath, [join(repoRoot, 'scripts/build.mjs'), '--out-dir', join(dir, 'dist')], {
    cwd: repoRoot,
  });
  for (const file of ['package.json', 'package-lock.json', 'bin', 'README.md']) {
    await cp(join(repoRoot, file), join(dir, file), { recursive: true });
  }
  await run('npm', ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
  });
  return {
    dir,
    bin: join(dir, 'bin/capi-gateway.mjs'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
