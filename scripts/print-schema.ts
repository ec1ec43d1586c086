/**
 * Writes schema/schema.graphql from the Pothos schema (sorted). With `--check`, exits 1
 * when the committed file is stale, naming the command that fixes it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printGatewaySchema } from '../schema/index.ts';

const target = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));

async function main(): Promise<number> {
  const printed = printGatewaySchema();
  if (!process.argv.includes('--check')) {
    await writeFile(target, printed);
    process.stdout.write(`wrote ${target}\n`);
    return 0;
  }
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed === printed) return 0;
  process.stderr.write('schema/schema.graphql is stale: run `npm run schema:print` and commit the result\n');
  return 1;
}

process.exitCode = await main();
