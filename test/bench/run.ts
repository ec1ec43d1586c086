/**
 * `npm run bench [-- SCENARIO… [--clusters N] [--runs N]]`: runs the named scenarios (all
 * without a name). Benchmarks need `--expose-gc` for heap figures, so the runner re-executes
 * itself with it when started without.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultFleetQueryOptions, printFleetQuery, runFleetQuery } from './fleet-query.ts';
import { defaultFleetScaleOptions, printFleetScale, runFleetScale } from './fleet-scale.ts';
import { defaultSchemaCheckOptions, printSchemaCheck, runSchemaCheck } from './schema-check.ts';
import { defaultSubscriptionsOptions, runSubscriptions } from './subscriptions.ts';

interface Flags {
  clusters?: string;
  /** fleet-scale: how many management clusters. */
  mcs?: string;
  /** fleet-scale: seconds of churn. */
  churn?: string;
  runs?: string;
  /** A CPU profile of the measured runs goes to this file (see README). */
  profile?: string;
}

const scenarios: Record<string, (flags: Flags) => Promise<void>> = {
  'fleet-query': async (flags) => {
    const log = (line: string) => console.log(line);
    const report = await runFleetQuery({
      clusters: flags.clusters ? Number(flags.clusters) : defaultFleetQueryOptions.clusters,
      runs: flags.runs ? Number(flags.runs) : defaultFleetQueryOptions.runs,
      cpuProfile: flags.profile,
      log,
    });
    printFleetQuery(report, log);
  },
  'fleet-scale': async (flags) => {
    const log = (line: string) => console.log(line);
    const report = await runFleetScale({
      managementClusters: flags.mcs ? Number(flags.mcs) : defaultFleetScaleOptions.managementClusters,
      clusters: flags.clusters ? Number(flags.clusters) : defaultFleetScaleOptions.clusters,
      runs: flags.runs ? Number(flags.runs) : defaultFleetScaleOptions.runs,
      churnSeconds: flags.churn ? Number(flags.churn) : defaultFleetScaleOptions.churnSeconds,
      log,
    });
    printFleetScale(report, log);
  },
  'schema-check': async (flags) => {
    const runs = flags.runs ? Number(flags.runs) : defaultSchemaCheckOptions.runs;
    printSchemaCheck(runSchemaCheck({ runs }), (line) => console.log(line));
  },
  subscriptions: async (flags) => {
    await runSubscriptions({
      ...defaultSubscriptionsOptions,
      clusters: flags.clusters ? Number(flags.clusters) : defaultSubscriptionsOptions.clusters,
      cpuProfile: flags.profile,
      log: (line) => console.log(line),
    });
  },
};

function positiveInteger(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !(Number.isInteger(Number(value)) && Number(value) > 0))
    throw new Error(`--${name} must be a positive integer, got '${value}'`);
  return value;
}

async function main(): Promise<number> {
  if (!(globalThis as { gc?: unknown }).gc) {
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=6144', '--import', 'tsx', self, ...process.argv.slice(2)],
      { stdio: 'inherit' },
    );
    return child.status ?? 1;
  }
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      clusters: { type: 'string' },
      runs: { type: 'string' },
      profile: { type: 'string' },
      mcs: { type: 'string' },
      churn: { type: 'string' },
    },
  });
  const flags: Flags = {
    clusters: positiveInteger('clusters', values.clusters),
    runs: positiveInteger('runs', values.runs),
    profile: values.profile,
    mcs: positiveInteger('mcs', values.mcs),
    churn: positiveInteger('churn', values.churn),
  };
  const names = positionals.length > 0 ? positionals : Object.keys(scenarios);
  const unknown = names.filter((n) => !(n in scenarios));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
    return 2;
  }
  for (const name of names) await scenarios[name]!(flags);
  return 0;
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return 1;
});
