/**
 * Writes a synthetic fleet as a seed file for `capi-gateway embedded|serve --seed FILE`: the
 * fleet-scale benchmark's clusters (Cluster, KubeadmControlPlane, MachineDeployment, MachineSet,
 * 3 control-plane + 10 worker Machines with their DockerMachines and KubeadmConfigs) and the machine
 * templates they reference, one NDJSON line per object, spread over namespaces of `--per-namespace` clusters.
 *
 *   npm run seed:generate -- --clusters 1000 --out fleet.ndjson
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, InvalidArgumentError } from 'commander';
import { scaleFleet } from '../test/bench/scale-fleet.ts';
import { seedAtRest } from './seed-at-rest.ts';
import { seedTemplates } from './seed-templates.ts';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('must be 1 to 100000');
  return n;
}

const opts = new Command('seed:generate')
  .description('write a synthetic CAPI fleet as NDJSON for --seed')
  .option('--clusters <n>', 'workload clusters', count, 100)
  .option('--per-namespace <n>', 'clusters per namespace', count, 100)
  .option('--site <name>', 'prefix of the clusters’ site labels', 'site')
  .requiredOption('--out <file>', 'where to write (NDJSON; .ndjson or .jsonl)')
  .parse()
  .opts<{ clusters: number; perNamespace: number; site: string; out: string }>();

if (!/\.(ndjson|jsonl)$/.test(opts.out)) {
  process.stderr.write('seed:generate: --out must end in .ndjson or .jsonl\n');
  process.exit(2);
}
const fleet = scaleFleet({
  clusters: opts.clusters,
  clustersPerNamespace: opts.perNamespace,
  site: opts.site,
});
const objects = [...seedAtRest(fleet), ...seedTemplates(fleet)];
const out = createWriteStream(opts.out);
for (const o of objects) if (!out.write(`${JSON.stringify(o)}\n`)) await once(out, 'drain');
out.end();
await once(out, 'finish');
process.stdout.write(`${opts.out}: ${objects.length} objects, ${opts.clusters} clusters\n`);
