import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const probe = fileURLToPath(new URL('./view-shapes.probe.ts', import.meta.url));

/**
 * Views of one kind must share one hidden class. Built by spreading the base into a new literal,
 * most got a map of their own: ~700 bytes more per cached object, and every property read of a
 * view in the executor megamorphic (fleet-query 4.7× → 1.8× its floor when fixed). Nothing a
 * query returns shows it, so the check asks V8 itself, in a child process with natives syntax.
 */
describe('view shapes', () => {
  it('every view of a kind shares the hidden class of the first, in the caches and the API-backed readers', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', probe],
      { timeout: 60_000 },
    );
    const report = JSON.parse(stdout) as Record<string, { views: number; sharing: number }>;
    expect(Object.keys(report).sort()).toEqual(
      [
        'Cluster',
        'DockerCluster',
        'DockerMachine',
        'KubeadmControlPlane',
        'Machine',
        'MachineDeployment',
        'MachineSet',
      ]
        .flatMap((k) => [`api ${k}`, `cache ${k}`])
        .sort(),
    );
    for (const [kind, { views, sharing }] of Object.entries(report)) {
      expect(views, kind).toBeGreaterThan(1);
      expect({ kind, sharing }).toEqual({ kind, sharing: views });
    }
  });
});
