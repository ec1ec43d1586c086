/**
 * What every read command shares: the gateway client from `--url`/`--token-file`, the output
 * format, colour, and the exit codes (README "Using the CLI").
 */
import { readFileSync } from 'node:fs';
import { createColors } from 'picocolors';
import { stringify } from 'yaml';
import {
  createClient,
  type ClientError,
  type GatewayClient,
  type PartialError,
} from '../../../client/index.ts';

/** Exit codes: 0 success; 1 bad usage (commander's); 2 the gateway cannot be reached; 3 the
 * gateway answered with an error (not found, an unknown management cluster, a GraphQL error);
 * 4 printed, but some management cluster could not answer (its objects are missing). A change
 * the gateway refuses: 5 invalid input (ValidationError), 6 a conflict with the object's state
 * (ConflictError, an upgrade blocked), 7 not allowed (ForbiddenError), 8 a management cluster
 * unavailable now (UnavailableError); 9 the operation ran and failed or was cancelled. */
export const exitCodes = {
  ok: 0,
  usage: 1,
  unreachable: 2,
  failed: 3,
  partial: 4,
  invalid: 5,
  conflict: 6,
  forbidden: 7,
  unavailable: 8,
  operationFailed: 9,
} as const;

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';
export const outputFormats: OutputFormat[] = ['table', 'wide', 'json', 'yaml'];

export interface GatewayOptions {
  url: string;
  tokenFile?: string;
}

export const defaultUrl = 'http://127.0.0.1:4000/graphql';

export function clientFrom(opts: GatewayOptions): GatewayClient {
  const token = opts.tokenFile
    ? readFileSync(opts.tokenFile, 'utf8').trim()
    : (process.env.CAPI_GATEWAY_TOKEN ?? undefined);
  return createClient({ url: opts.url, ...(token ? { token } : {}) });
}

/** A failure the command ends with: one line on stderr and its exit code. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function failureOf(error: ClientError): CliFailure {
  switch (error.kind) {
    case 'unreachable':
      return new CliFailure(
        `cannot reach the gateway at ${error.url} (${error.message})`,
        exitCodes.unreachable,
      );
    case 'http':
      return new CliFailure(
        `${error.url} did not answer as a GraphQL gateway (${error.message})`,
        exitCodes.unreachable,
      );
    case 'graphql':
      return new CliFailure(error.message, exitCodes.failed);
  }
}

/** Runs a command body; prints a failure as one line (`error: …`) and sets the exit code. */
export async function runCommand(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    if (error instanceof CliFailure) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
}

/**
 * Colour only on a terminal. NO_COLOR (https://no-color.org) turns it off everywhere; FORCE_COLOR
 * turns it on off a terminal too (a pipe, a test), except FORCE_COLOR=0 or false, as Node's own.
 * Decided here rather than by picocolors, which also colours whenever CI is set (CI logs are
 * read by scripts too).
 */
export function colourEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  const { NO_COLOR: noColor, FORCE_COLOR: forceColor } = process.env;
  if (noColor !== undefined && noColor !== '') return false;
  if (forceColor !== undefined) return forceColor !== '0' && forceColor !== 'false';
  return stream.isTTY === true;
}

export type Style = 'red' | 'green' | 'yellow' | 'gray' | 'bold' | 'inverse' | 'cyan' | 'white';
export type Paint = (style: Style, text: string) => string;

/** Text in a style, or as it is when colour is off. */
export function painter(enabled = colourEnabled()): Paint {
  const colours = createColors(enabled);
  return (style, text) => colours[style](text);
}

/** JSON or YAML of the items, kubectl-like: a `List` wrapper of the items. */
export function serialize(format: 'json' | 'yaml', items: unknown[]): string {
  const doc = { kind: 'List', items };
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc);
}

/**
 * What is missing from an answer — management clusters that could not answer, and errors that
 * came with data — as one `warning:` line each (repeats dropped) on stderr; the exit code.
 */
export function warnProblems(
  problems: Array<{ managementCluster: string; message: string }>,
  partial: PartialError[] = [],
): number {
  const lines = new Set([
    ...problems.map((p) => `management cluster ${p.managementCluster}: ${p.message}`),
    // A field error about a management cluster the connection already reported says it twice.
    ...partial
      .filter((e) => !problems.some((p) => e.message.includes(`'${p.managementCluster}'`)))
      .map((e) => e.message),
  ]);
  for (const line of lines) process.stderr.write(`warning: ${line}\n`);
  return lines.size > 0 ? exitCodes.partial : exitCodes.ok;
}
