// Builds the web dashboard (web/ → web/dist/, served by the gateway at `/`) with vite.
// `--if-stale` builds only when a source is newer than the last build: what `npm start` runs first,
// so a fresh clone gets the dashboard and a restart does not wait for a rebuild.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'web/dist/index.html');
const sources = [
  'web/index.html',
  'web/vite.config.ts',
  'web/src',
  'web/generated',
  'client',
  'package-lock.json',
];

function newest(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function isStale() {
  let builtAt;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    return true;
  }
  return Math.max(...sources.map((source) => newest(join(root, source)))) > builtAt;
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
const started = Date.now();
process.stdout.write('Building the web dashboard (web/ → web/dist/)… ');
// A production bundle whatever the caller's NODE_ENV (vitest runs this with NODE_ENV=test, which
// would otherwise give React's development build).
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
await build({ configFile: join(root, 'web/vite.config.ts'), mode: 'production', logLevel: 'warn' });
process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
