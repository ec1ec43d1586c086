/**
 * Finds a Go module's source tree (a provider's CRDs and templates) in the local Go module cache,
 * downloading it through the Go module proxy when it is not there yet. Held-back providers come
 * this way because nothing else reachable from these machines carries them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ModuleLookup = { ok: true; dir: string } | { ok: false; reason: string };

/** Go escapes upper-case letters in module cache paths as `!` + lower case. */
function escapePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

async function goEnv(name: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('go', ['env', name], { timeout: 30_000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function download(module: string, version: string): Promise<ModuleLookup> {
  const scratch = await mkdtemp(join(tmpdir(), 'capi-gateway-gomod-'));
  try {
    await writeFile(join(scratch, 'go.mod'), 'module scratch\n\ngo 1.22\n');
    const { stdout } = await run('go', ['mod', 'download', '-json', `${module}@${version}`], {
      cwd: scratch,
      timeout: 180_000,
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      maxBuffer: 4 * 1024 * 1024,
    });
    const parsed = JSON.parse(stdout) as { Dir?: string; Error?: string };
    if (parsed.Dir && existsSync(parsed.Dir)) return { ok: true, dir: parsed.Dir };
    return { ok: false, reason: parsed.Error ?? 'go mod download gave no directory' };
  } catch (error) {
    return { ok: false, reason: `go mod download ${module}@${version} failed: ${String(error)}` };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function findGoModule(module: string, version: string): Promise<ModuleLookup> {
  const cache = await goEnv('GOMODCACHE');
  if (!cache) return { ok: false, reason: 'Go is not installed (no `go env GOMODCACHE`)' };
  const dir = join(cache, `${escapePath(module)}@${version}`);
  if (existsSync(dir)) return { ok: true, dir };
  return download(module, version);
}
