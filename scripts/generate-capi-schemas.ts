/**
 * Derives the embedded cluster's built-in CAPI schemas from the CRDs released in the CAPI v1.14
 * Go modules (sigs.k8s.io/cluster-api and sigs.k8s.io/cluster-api/test, fetched with
 * `go mod download`, so the module cache or the module proxy is the only source) and writes
 * embedded/apiserver/schema/generated/capi-schemas.json: per CRD and served version, the
 * openAPIV3Schema with structure and validations only (every `description` dropped).
 *
 * `--check` regenerates in memory and exits 1 when the committed file differs; when Go or the
 * module is unavailable it says so and exits 0 (the committed file stays the source at run time).
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const CAPI_VERSION = 'v1.14.0';
const MODULES = [
  {
    module: 'sigs.k8s.io/cluster-api',
    dirs: [
      'core/config/crd/bases',
      'config/crd/bases',
      'bootstrap/kubeadm/config/crd/bases',
      'controlplane/kubeadm/config/crd/bases',
      'exp/config/crd/bases',
      'exp/ipam/config/crd/bases',
      'exp/runtime/config/crd/bases',
      'exp/addons/config/crd/bases',
      'cmd/clusterctl/config/crd/bases',
    ],
  },
  { module: 'sigs.k8s.io/cluster-api/test', dirs: ['infrastructure/docker/config/crd/bases'] },
];
/** clusterctl's `Metadata` is a file format (metadata.yaml), never installed as a CRD. */
const NOT_SERVED = new Set(['metadata.clusterctl.cluster.x-k8s.io']);

const target = fileURLToPath(
  new URL('../embedded/apiserver/schema/generated/capi-schemas.json', import.meta.url),
);

type Schema = Record<string, unknown>;

export interface GeneratedSchemas {
  source: string[];
  /** CRD name → version → openAPIV3Schema. */
  crds: Record<string, Record<string, Schema>>;
}

/** Drops `description` from every schema node (never from a property that happens to be named so). */
function structural(node: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description') continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, structural(child)]),
      );
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
      out[key] = structural(value);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as Schema[]).map(structural);
    } else out[key] = value;
  }
  return out;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function moduleDir(module: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'go',
    ['mod', 'download', '-json', `${module}@${CAPI_VERSION}`],
    {
      cwd: dirname(target),
      timeout: 120_000,
      env: { ...process.env, GO111MODULE: 'on', GOFLAGS: '-mod=mod' },
    },
  );
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(info.Error ?? `go mod download ${module}@${CAPI_VERSION}: no Dir`);
  return info.Dir;
}

async function crdFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.yaml')).map((n) => join(dir, n));
}

interface CrdDocument {
  metadata: { name: string };
  spec: { versions: Array<{ name: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }> };
}

export async function generate(): Promise<GeneratedSchemas> {
  const crds: GeneratedSchemas['crds'] = {};
  const source: string[] = [];
  for (const { module, dirs } of MODULES) {
    const root = await moduleDir(module);
    source.push(`${module}@${CAPI_VERSION}`);
    for (const dir of dirs) {
      for (const file of await crdFiles(join(root, dir))) {
        const crd = parse(await readFile(file, 'utf8')) as CrdDocument;
        if (NOT_SERVED.has(crd.metadata.name)) continue;
        const versions: Record<string, Schema> = {};
        for (const version of crd.spec.versions) {
          const schema = version.schema?.openAPIV3Schema;
          if (version.served !== false && schema) versions[version.name] = structural(schema);
        }
        crds[crd.metadata.name] = versions;
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(crds).sort(([a], [b]) => a.localeCompare(b)));
  return { source, crds: sorted };
}

export function render(schemas: GeneratedSchemas): string {
  return `${JSON.stringify(schemas)}\n`;
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  let generated: GeneratedSchemas;
  try {
    generated = await generate();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (!check) {
      process.stderr.write(`cannot read the CAPI ${CAPI_VERSION} Go modules: ${reason}\n`);
      return 1;
    }
    process.stdout.write(
      `crds:check skipped: Go or the module proxy is unavailable (${reason}); the committed ${target} is used as is\n`,
    );
    return 0;
  }
  const printed = render(generated);
  if (!check) {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, printed);
    process.stdout.write(
      `wrote ${target} (${printed.length} bytes, ${Object.keys(generated.crds).length} CRDs)\n`,
    );
    return 0;
  }
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed === printed) return 0;
  process.stderr.write(`${target} is stale: run \`npm run crds:generate\` and commit the result\n`);
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
