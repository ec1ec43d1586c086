import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { KubeObject } from '../../apiserver/admission.ts';
import { compileCrd } from '../../apiserver/schema/index.ts';
import type { CompiledCrdVersion } from '../../apiserver/schema/index.ts';

/** ../shared/capi beside the checkout (reference data that must not be copied into the repo). */
export const capiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/capi');
export const haveCapiData = fs.existsSync(path.join(capiDir, 'crds'));
export const skipReason = `CAPI reference data not found at ${capiDir}; skipping tests that need the real CRDs`;
if (!haveCapiData) console.warn(skipReason);

export function readYamlDocuments(file: string): KubeObject[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

let crdCache: KubeObject[] | undefined;
const compiledCache = new Map<string, CompiledCrdVersion>();

/** Every real CRD, parsed once per test file (each call returns fresh copies). */
export function realCrds(): KubeObject[] {
  crdCache ??= loadCrds();
  return structuredClone(crdCache);
}

function loadCrds(): KubeObject[] {
  const dir = path.join(capiDir, 'crds');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => readYamlDocuments(path.join(dir, f)));
}

export function realCrd(kind: string): KubeObject {
  const crd = realCrds().find((c) => (c.spec as { names: { kind: string } }).names.kind === kind);
  if (!crd) throw new Error(`no CRD for ${kind}`);
  return crd;
}

/** The compiled served version of a real CRD, e.g. `compiled('Cluster', 'v1beta2')`. */
export function compiled(kind: string, version = 'v1beta2'): CompiledCrdVersion {
  const key = `${kind}/${version}`;
  let found = compiledCache.get(key);
  if (!found) {
    found = compileCrd(realCrd(kind)).versions.find((v) => v.version === version);
    if (!found) throw new Error(`${kind} does not serve ${version}`);
    compiledCache.set(key, found);
  }
  return found;
}

export function template(file: string, kind: string): KubeObject {
  const found = readYamlDocuments(path.join(capiDir, 'templates', file)).find((o) => o.kind === kind);
  if (!found) throw new Error(`${file} has no ${kind}`);
  return found;
}
