import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findRealClusterInstall } from '../realcluster/install.ts';

const install = findRealClusterInstall();
if (!install.ok) console.warn(`realcluster up test skipped: ${install.reason}`);
const cli = fileURLToPath(new URL('../realcluster/cli.ts', import.meta.url));

describe.skipIf(!install.ok)('npm run realcluster -- up', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the kubeconfig path, never its token', { timeout: 300_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-realcluster-up-'));
    const dataDir = join(dir, 'data');
    // What `npm run realcluster -- up --data-dir DIR` runs.
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'up', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const deadline = Date.now() + 240_000;
      while (!out.includes('\n  try:')) {
        if (child.exitCode !== null)
          throw new Error(`realcluster up exited ${child.exitCode}:\n${out}${err}`);
        if (Date.now() > deadline) throw new Error(`realcluster up not ready within 240 s:\n${out}${err}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const kubeconfigPath = join(dataDir, 'kubeconfig');
      expect(out).toBe(
        `kubeconfig: ${kubeconfigPath}\n  try: kubectl --kubeconfig ${kubeconfigPath} get clusters -A\n`,
      );
      const kubeconfig = await readFile(kubeconfigPath, 'utf8');
      const token = /token: (\S+)/.exec(kubeconfig)![1]!;
      expect(out + err).not.toContain(token);
      expect(out + err).not.toContain('certificate-authority-data');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
