#!/usr/bin/env node
// The `capi-gateway` command. An installed package or the container image runs the compiled build
// (dist/, made by `npm run build`) with plain Node. A checkout runs the compiled build only while it
// is newer than every TypeScript source, else the sources through tsx's loader: `npm start` works on
// a fresh clone with no build step to forget, and a stale dist/ never runs edited code's old copy.
// CAPI_GATEWAY_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = new URL('../dist/src/main.js', import.meta.url);
const sourceDirs = ['src', 'embedded', 'schema', 'resolvers', 'client'];

/** The newest modification time of the TypeScript sources of a checkout (0 when none shipped). */
function newestSourceMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
    }
  }
  return newest;
}

function compiledIsCurrent() {
  if (process.env.CAPI_GATEWAY_FROM_SOURCE === '1' || !existsSync(compiled)) return false;
  const builtAt = statSync(compiled).mtimeMs;
  return sourceDirs.every((dir) => newestSourceMtime(`${root}${dir}`) <= builtAt);
}

let main;
if (compiledIsCurrent()) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
await main(process.argv);
