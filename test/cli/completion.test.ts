/** `capi-gateway completion bash|zsh` as a user sources it: bash completes commands, kinds, flags. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finished } from './cli-child.ts';

describe('capi-gateway completion', () => {
  it("bash: the script completes commands, get resources, watch and a command's flags", async () => {
    const r = await finished(['completion', 'bash']);
    expect(r.code).toBe(0);
    const dir = await mkdtemp(join(tmpdir(), 'capi-gateway-completion-'));
    try {
      await writeFile(join(dir, 'c.sh'), r.stdout);
      const complete = (...words: string[]) =>
        execFileSync(
          'bash',
          [
            '-c',
            `source ${join(dir, 'c.sh')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _capi_gateway; echo "\${COMPREPLY[*]}"`,
          ],
          { encoding: 'utf8' },
        ).trim();
      expect(complete('capi-gateway', 'sc')).toBe('scale');
      expect(complete('capi-gateway', 'get', 'ma')).toBe('machines machinedeployments managementclusters');
      expect(complete('capi-gateway', 'scale', '--re')).toBe('--replicas');
      expect(complete('capi-gateway', 'describe', '--show-m')).toBe(
        '--show-machinesets --show-machinehealthchecks',
      );
      expect(complete('capi-gateway', 'wa')).toBe('watch');
      expect(complete('capi-gateway', 'watch', 'cl')).toBe('cluster');
      expect(complete('capi-gateway', 'watch', 'cluster', 'x', '--gr')).toBe('--grouping');
      expect(complete('capi-gateway', 'watch', '--show-m')).toBe(
        '--show-machinesets --show-machinehealthchecks',
      );
      expect(complete('capi-gateway', 'get', 'machines', '--wa')).toBe('--watch');
      expect(complete('capi-gateway', 'scale', '--wa')).toBe('--wait');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('zsh: the script loads bash completion into zsh; an unknown shell exits 1', async () => {
    const zsh = await finished(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef capi-gateway\n/);
    expect(zsh.stdout).toContain('complete -o default -F _capi_gateway capi-gateway');
    const fish = await finished(['completion', 'fish']);
    expect(fish.code).toBe(1);
    expect(fish.stderr).toMatch(/^error: command-argument value 'fish' is invalid/);
  }, 60_000);
});
