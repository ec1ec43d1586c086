import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { EmbeddedCliOptions, ServeCliOptions } from './cli/options.ts';

// Each command loads only what it runs: `embedded` never pays for the GraphQL schema and server
// (seconds of module loading on a busy machine, before the management cluster can answer).
const runServe = async (opts: ServeCliOptions, cmd: Command): Promise<void> =>
  (await import('./cli/serve.ts')).runServe(opts, cmd);
const runEmbedded = async (opts: EmbeddedCliOptions & { port: number }, cmd: Command): Promise<void> =>
  (await import('./cli/embedded.ts')).runEmbedded(opts, cmd);

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
}

function embeddedOptions(cmd: Command): Command {
  return cmd
    .option('--host <addr>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--data-dir <dir>', 'where the embedded management cluster keeps its data', '.capi-gateway')
    .option(
      '--ephemeral',
      'keep the objects in memory only; without --data-dir, in a temp data dir removed on exit',
      false,
    )
    .option('--no-demo', 'do not create the demo fleet')
    .option('--speed <x>', 'time scale of the simulated provisioning engine', positive, 1)
    .addOption(
      new Option('--capi-api <version>', 'CAPI API version the embedded cluster serves')
        .choices(['v1beta2', 'v1beta1'])
        .default('v1beta2'),
    )
    .option('--fail-machines <fraction>', 'fraction of machines whose provisioning fails', fraction, 0)
    .option('--unhealthy-nodes <fraction>', 'fraction of nodes that go NotReady', fraction, 0);
}

/** The version in package.json: what `npm ci` installed is what runs (no build step). */
function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

export function buildCli(): Command {
  const program = new Command('capi-gateway')
    .description('GraphQL gateway for Cluster API management clusters')
    .version(packageVersion(), '-V, --version', 'print the version of capi-gateway')
    .showHelpAfterError();

  embeddedOptions(
    program
      .command('serve')
      .description('serve GraphQL over the configured management clusters (default: an embedded one)'),
  )
    .option('--port <n>', 'GraphQL port', port, 4000)
    .option(
      '--api-port <n>',
      "the embedded API server's port (0 = the data dir's previous port if free, else a free one)",
      port,
      0,
    )
    .option('--config <file>', 'YAML file listing the management clusters')
    .action(runServe);

  embeddedOptions(
    program
      .command('embedded')
      .description('run the embedded management cluster alone (for kubectl or a second gateway)'),
  )
    .option(
      '--port <n>',
      "the API server's port (0 = the data dir's previous port if free, else a free one)",
      port,
      0,
    )
    .action(runEmbedded);

  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildCli().parseAsync(argv);
}
