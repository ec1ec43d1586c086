/**
 * Shared helpers for the conversion tests: the real CAPI CRDs from ../shared/capi, their compiled
 * schemas per version, and a strict schema check of an object at its apiVersion.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../apiserver/admission.ts';
import { compileCrd } from '../../apiserver/schema/index.ts';
import type { CompiledCrdVersion } from '../../apiserver/schema/types.ts';

export const SHARED_CAPI = fileURLToPath(new URL('../../../../shared/capi/', import.meta.url));
export const haveSharedCapi = existsSync(join(SHARED_CAPI, 'crds'));
export const SKIP_REASON = `../shared/capi is absent (${SHARED_CAPI}): the conversion tests need the real CAPI CRDs`;
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function readObjects(path: string): KubeObject[] {
  return parseObjects(readFileSync(path, 'utf8'));
}

export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

/** Compiled schema checks of the real CRDs, by `apiVersion/kind`. */
export function realSchemas(): Map<string, CompiledCrdVersion['check']> {
  const checks = new Map<string, CompiledCrdVersion['check']>();
  const dir = join(SHARED_CAPI, 'crds');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    for (const crd of readObjects(join(dir, file))) {
      const compiled = compileCrd(crd);
      for (const v of compiled.versions) checks.set(`${v.group}/${v.version}/${v.kind}`, v.check);
    }
  }
  return checks;
}

/** Problems of `object` against the real CRD schema of its apiVersion (unknown fields included). */
export function schemaProblems(
  checks: Map<string, CompiledCrdVersion['check']>,
  object: KubeObject,
): string[] {
  const check = checks.get(`${object.apiVersion}/${object.kind}`);
  if (!check) return [`no real CRD for ${object.apiVersion} ${object.kind}`];
  const result = check(structuredClone(object), { fieldValidation: 'Strict' });
  if (result.ok) return result.warnings;
  return [`${object.kind} ${object.metadata.name}: ${result.message}`];
}
