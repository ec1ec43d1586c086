/**
 * `npm run bench -- schema-check [--runs N]`: what a write pays for the built-in CAPI schemas
 * (the generated v1.14 CRD schemas, embedded/apiserver/schema/generated/): one `check` (prune,
 * default, validate, CEL) per object of the benchmark fleet's first cluster, at the storage
 * version, under fieldValidation Strict, as the API server runs it on every create/update.
 * Prints µs per check per kind, then one JSON line.
 */
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../../embedded/apiserver/admission.ts';
import { builtinCrdsFor, compileCrd } from '../../embedded/apiserver/schema/index.ts';
import type { CompiledCrdVersion } from '../../embedded/apiserver/schema/types.ts';
import { benchFleet } from './bench-fleet.ts';
import { percentile, round } from './stats.ts';

export interface SchemaCheckReport {
  objects: number;
  runs: number;
  /** µs per check, by kind (p50 over runs of the mean per object of that kind). */
  perKind: Record<string, number>;
  p50Us: number;
  p99Us: number;
  compileMs: number;
  rejected: string[];
}

export const defaultSchemaCheckOptions = { runs: 200 };

function compiledVersions(): { byKind: Map<string, CompiledCrdVersion>; compileMs: number } {
  const start = performance.now();
  const byKind = new Map<string, CompiledCrdVersion>();
  for (const crd of builtinCrdsFor('v1beta2')) {
    for (const version of compileCrd(crd).versions)
      byKind.set(`${version.group}/${version.version}/${version.kind}`, version);
  }
  return { byKind, compileMs: performance.now() - start };
}

export function runSchemaCheck(options: { runs: number }): SchemaCheckReport {
  const { byKind, compileMs } = compiledVersions();
  const objects = benchFleet({ clusters: 1, namespace: 'bench' }) as unknown as KubeObject[];
  const targets = objects.map((object) => ({
    object,
    check: byKind.get(`${object.apiVersion}/${object.kind}`),
  }));
  const rejected = targets
    .filter((t) => !t.check || !t.check.check(t.object, { fieldValidation: 'Strict' }).ok)
    .map((t) => `${t.object.kind}/${t.object.metadata.name}`);
  const samples: number[] = [];
  const byKindSamples = new Map<string, number[]>();
  for (let run = 0; run < options.runs; run++) {
    for (const { object, check } of targets) {
      if (!check) continue;
      const start = performance.now();
      check.check(object, { fieldValidation: 'Strict' });
      const us = (performance.now() - start) * 1000;
      samples.push(us);
      const kindSamples = byKindSamples.get(object.kind) ?? [];
      kindSamples.push(us);
      byKindSamples.set(object.kind, kindSamples);
    }
  }
  const perKind = Object.fromEntries(
    [...byKindSamples]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, us]) => [kind, round(percentile(us, 50))]),
  );
  return {
    objects: objects.length,
    runs: options.runs,
    perKind,
    p50Us: round(percentile(samples, 50)),
    p99Us: round(percentile(samples, 99)),
    compileMs: round(compileMs),
    rejected,
  };
}

export function printSchemaCheck(report: SchemaCheckReport, log: (line: string) => void): void {
  log(
    `schema-check: ${report.objects} objects × ${report.runs} runs (compile of the built-in CRDs: ${report.compileMs} ms)`,
  );
  for (const [kind, us] of Object.entries(report.perKind))
    log(`  ${kind.padEnd(24)} ${us} µs per check (p50)`);
  if (report.rejected.length) log(`  REJECTED by their schema: ${report.rejected.join(', ')}`);
  log(
    JSON.stringify({
      scenario: 'schema-check',
      objects: report.objects,
      runs: report.runs,
      p50_us: report.p50Us,
      p99_us: report.p99Us,
      per_kind_p50_us: report.perKind,
      compile_ms: report.compileMs,
      rejected: report.rejected.length,
    }),
  );
}
