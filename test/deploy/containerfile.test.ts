/**
 * The Containerfile, read as a builder would, so that it is checked even where no builder is
 * installed — every path it copies exists, the build stage copies every source folder the
 * compiled build needs, and the final stage is production-only, non-root and read-only-root
 * friendly with the compiled entry point. compiled-build.test.ts runs that layout without a
 * container; container-image.test.ts starts the built image (npm run image:build).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './package-layout.ts';

interface Stage {
  from: string;
  name: string | undefined;
  lines: string[];
}

function stages(): Stage[] {
  const text = readFileSync(join(repoRoot, 'Containerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const result: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.push({ from: from[1]!, name: from[2], lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/** The sources of `COPY a b dest` (not `--from=` copies). */
function copiedSources(stage: Stage): string[] {
  return stage.lines
    .filter((l) => /^COPY\s/.test(l) && !l.includes('--from='))
    .flatMap((l) => l.split(/\s+/).slice(1, -1));
}

describe('the Containerfile', () => {
  const all = stages();
  const final = all.at(-1)!;

  it('has a build stage, a production-dependencies stage and a final stage on the same Node 20 slim base', () => {
    expect(all.map((s) => s.name)).toEqual(['build', 'deps', undefined]);
    expect(new Set(all.map((s) => s.from))).toEqual(new Set(['${NODE_IMAGE}']));
    expect(readFileSync(join(repoRoot, 'Containerfile'), 'utf8')).toMatch(
      /ARG NODE_IMAGE=\S+node:20-\S*slim/,
    );
  });

  it('copies only paths that exist, and every folder the compiled build compiles', () => {
    for (const stage of all) {
      for (const source of copiedSources(stage))
        expect(existsSync(join(repoRoot, source)), source).toBe(true);
    }
    const build = all.find((s) => s.name === 'build')!;
    // tsconfig files are JSON with comments.
    const tsconfigText = readFileSync(join(repoRoot, 'tsconfig.build.json'), 'utf8').replace(
      /^\s*\/\/.*$/gm,
      '',
    );
    const tsconfig = JSON.parse(tsconfigText) as { include: string[] };
    expect(copiedSources(build)).toEqual(expect.arrayContaining([...tsconfig.include, 'scripts/build.mjs']));
    // build.mjs builds the dashboard (scripts/web-build.mjs over web/) and copies its documents,
    // which `serve --trusted-documents` allows with the CLI's.
    expect(copiedSources(build)).toEqual(expect.arrayContaining(['scripts/web-build.mjs', 'web', 'client']));
    expect(build.lines).toContain('RUN node scripts/build.mjs');
  });

  it('installs production dependencies only, runs as a numeric non-root user, writes only to volumes', () => {
    const deps = all.find((s) => s.name === 'deps')!;
    expect(deps.lines.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(final.lines).toContain('COPY --from=deps /app/node_modules node_modules');
    expect(final.lines).toContain('COPY --from=build /src/dist dist');
    expect(final.lines.filter((l) => l.startsWith('RUN'))).toEqual([]);
    const user = final.lines.find((l) => l.startsWith('USER'))!;
    expect(user).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(final.lines.find((l) => l.startsWith('VOLUME'))).toMatch(/"\/tmp"/);
    expect(final.lines.find((l) => l.startsWith('ENTRYPOINT'))).toBe(
      'ENTRYPOINT ["node", "/app/bin/capi-gateway.mjs"]',
    );
  });

  it('keeps node_modules, dist and local data out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.containerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', 'dist', 'web/dist', '.capi-gateway', '.git']),
    );
  });
});
