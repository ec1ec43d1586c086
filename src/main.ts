import { readFileSync } from 'node:fs';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { bool, gatewayOptions, scopeOptions } from './cli/client-options.ts';
import { addMutationCommands } from './cli/mutation-commands.ts';
import type { EmbeddedCliOptions, ServeCliOptions } from './cli/options.ts';
import type { DescribeOptions } from './cli/commands/describe-cluster.ts';
import type { GetOptions } from './cli/commands/get-clusters.ts';

// Each command loads only what it runs: `embedded` never pays for the GraphQL schema and server
// (seconds of module loading on a busy machine, before the management cluster can answer).
const runServe = async (opts: ServeCliOptions, cmd: Command): Promise<void> =>
  (await import('./cli/serve.ts')).runServe(opts, cmd);
const runEmbedded = async (opts: EmbeddedCliOptions & { port: number }, cmd: Command): Promise<void> =>
  (await import('./cli/embedded.ts')).runEmbedded(opts, cmd);

const runGet = async (resource: string, opts: GetOptions): Promise<void> =>
  (await import('./cli/commands/get.ts')).runGet(resource, opts);
const runDescribe = async (kind: string, name: string, opts: DescribeOptions): Promise<void> =>
  (await import('./cli/commands/describe-cluster.ts')).runDescribe(kind, name, opts);

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
    .option('--unhealthy-nodes <fraction>', 'fraction of nodes that go NotReady', fraction, 0)
    .option(
      '--seed <file>',
      'load these objects at start, before listening (NDJSON, JSON or YAML; see npm run seed:generate)',
    )
    .option(
      '--token-auth-file <file>',
      'users of the embedded API server (RBAC applies to them), as kube-apiserver\'s: token,user,uid,"group1,group2" per line',
    );
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
    // Program options only before the command: `upgrade --version V` is upgrade's own flag.
    .enablePositionalOptions()
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
    .option('--config <file>', 'YAML file listing the management clusters (and `limits`, `logLevel`)')
    .option('--no-introspection', 'refuse schema introspection (and hide field suggestions), for production')
    .option('--no-graphiql', 'serve no GraphiQL page, for production')
    .option(
      '--trusted-documents [paths...]',
      "run only these GraphQL documents (files or folders; alone: the CLI's client/documents)",
    )
    .addOption(
      new Option('--log-level <level>', 'request log level (JSON lines on stderr)').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
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

  scopeOptions(
    gatewayOptions(
      program
        .command('get')
        .description(
          'list clusters, machines, machinedeployments, managementclusters or operations of a running gateway',
        )
        .argument('<resource>', 'clusters | machines | machinedeployments | managementclusters | operations')
        .showHelpAfterError("See 'capi-gateway get --help' for usage."),
    ),
  )
    .option('-A, --all-namespaces', 'every namespace (the default; kubectl habit)')
    .option('-l, --selector <selector>', 'label selector, e.g. env=prod,tier!=edge')
    .option('-w, --watch', 'after the list, print a row whenever a cluster changes (clusters only)')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['table', 'wide', 'json', 'yaml'])
        .default('table'),
    )
    .action(runGet);

  scopeOptions(
    gatewayOptions(
      program
        .command('describe')
        .description("a cluster's objects as the tree `clusterctl describe cluster` prints")
        .argument('<kind>', 'cluster')
        .argument('<name>', "the cluster's name")
        .showHelpAfterError("See 'capi-gateway describe --help' for usage."),
    ),
  )
    .option(
      '--grouping [bool]',
      'group identical machines into one row (--grouping=false: one row each)',
      bool,
      true,
    )
    .option('--disable-grouping', "clusterctl's spelling of --grouping=false", false)
    .option('--show-machinesets', 'show the MachineSets between MachineDeployments and their machines', false)
    .option(
      '--show-conditions <list>',
      "list the conditions of these objects as rows: all, Kind or Kind/name, comma-separated (a '+' suffix: only those not in their normal state)",
    )
    .option(
      '--echo',
      "show machines' infrastructure and bootstrap objects even when their state echoes the machine's",
      false,
    )
    .option(
      '--show-machinehealthchecks',
      'add the MachineHealthChecks and the machines they check (clusterctl does not show them)',
      false,
    )
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['tree', 'json', 'yaml']).default('tree'),
    )
    .action(runDescribe);

  addMutationCommands(program);

  program
    .command('completion')
    .description('print a shell completion script: source <(capi-gateway completion bash)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .action(async (shell: string) => {
      process.stdout.write((await import('./cli/completion.ts')).completionScript(program, shell));
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildCli().parseAsync(argv);
}
