/** The flags every client command shares (commander), and their value parsers. */
import { InvalidArgumentError, Option, type Command } from 'commander';

/** The flags of the client commands: the gateway to talk to. */
export function gatewayOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', "the gateway's GraphQL URL", 'http://127.0.0.1:4000/graphql')
    .option('--token-file <file>', 'a file holding the bearer token (default: $CAPI_GATEWAY_TOKEN)');
}

export function scopeOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <ns>', 'only this namespace (default: every namespace)')
    .option('--mc <name>', 'only this management cluster');
}

/** How the describe tree is drawn (`describe cluster`, `watch cluster`). */
export function treeOptions(cmd: Command): Command {
  return cmd
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
    );
}

export function outputOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('-o, --output <format>', 'output format')
      .choices(['table', 'wide', 'json', 'yaml'])
      .default('table'),
  );
}

export function bool(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('must be true or false');
}

export function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

/** A repeatable flag: every value, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
