import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { finished } from './cli-child.ts';

describe('capi-gateway --version', () => {
  it('prints the package version and exits 0', async () => {
    const { version } = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await finished([flag]);
      expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });
});
