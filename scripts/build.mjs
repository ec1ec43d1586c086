// `npm run build`: compiles the gateway to plain JavaScript in dist/ (tsconfig.build.json) so
// `node` runs it without tsx, then copies the data files the code reads at run time next to the
// compiled modules that read them. Plain Node on purpose: it runs before anything is compiled.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out-dir DIR` builds elsewhere (tests build into a temporary package layout).
const outFlag = process.argv.indexOf('--out-dir');
const dist = outFlag > 0 ? resolve(process.argv[outFlag + 1] ?? 'dist') : join(root, 'dist');

/** Files (and folders) read with `new URL(..., import.meta.url)`, relative to the repository root. */
const runtimeAssets = [
  'embedded/apiserver/schema/generated/capi-schemas.json',
  // `serve --trusted-documents` alone allows what the CLI and the dashboard send
  // (src/cli/bundled-documents.ts).
  'client/documents',
  'web/documents',
];

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dist],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const asset of runtimeAssets) cpSync(join(root, asset), join(dist, asset), { recursive: true });

// The dashboard the gateway serves at `/` (src/dashboard-static.ts reads ../web/dist/ relative
// to itself): built from web/ when stale, then copied next to the compiled modules.
execFileSync(process.execPath, [join(root, 'scripts/web-build.mjs'), '--if-stale'], {
  cwd: root,
  stdio: 'inherit',
});
cpSync(join(root, 'web/dist'), join(dist, 'web/dist'), { recursive: true });

// src/main.ts reads its version from `../package.json` relative to itself; in dist/ that is
// dist/package.json. Only what the runtime needs: the version, and ESM for the .js files.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(
  join(dist, 'package.json'),
  `${JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', private: true }, null, 2)}\n`,
);
