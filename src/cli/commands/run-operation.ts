/**
 * What every mutation command shares: send the mutation, print the Operation it started (or its
 * typed error), and with `--wait` follow it to its end (follow-operation.ts).
 */
import { stringify } from 'yaml';
import type { GatewayClient, OperationFieldsFragment, Result } from '../../../client/index.ts';
import { endOf, followOperation } from './follow-operation.ts';
import { operationOf, payloadOf } from './mutation-outcome.ts';
import { targetOf } from './operation-view.ts';
import { exitCodes, failureOf, type GatewayOptions } from './output.ts';

export type MutationOptions = GatewayOptions & {
  wait?: boolean;
  output: 'table' | 'wide' | 'json' | 'yaml';
};

/** The single field of a mutation's data (`{ scaleControlPlane: … }` → its value). */
export function fieldOf<T extends Record<string, unknown>>(res: Result<T>): T[keyof T] {
  if (!res.ok) throw failureOf(res.error);
  return Object.values(res.data)[0] as T[keyof T];
}

export async function runOperation(
  client: GatewayClient,
  opts: MutationOptions,
  send: () => Promise<Result<Record<string, object>>>,
): Promise<number> {
  const answer = payloadOf(fieldOf(await send())) as { operation?: OperationFieldsFragment | null };
  return reportOperation(client, opts, operationOf(answer));
}

/** Prints the operation; with --wait follows it and prints how it ended. */
export async function reportOperation(
  client: GatewayClient,
  opts: MutationOptions,
  started: OperationFieldsFragment,
): Promise<number> {
  const machine = opts.output === 'json' || opts.output === 'yaml';
  if (!machine) process.stdout.write(`${startedLine(started)}\n`);
  const last = opts.wait
    ? await followOperation(client, started, machine ? process.stderr : process.stdout)
    : started;
  if (machine)
    process.stdout.write(opts.output === 'json' ? `${JSON.stringify(last, null, 2)}\n` : stringify(last));
  const failure = opts.wait ? endOf(last) : undefined;
  if (failure) throw failure;
  return exitCodes.ok;
}

/** `operation default/op-x started: ScaleMachineDeployment MachineDeployment default/md (id …)` */
export function startedLine(op: OperationFieldsFragment): string {
  return `operation ${op.namespace}/${op.name} started: ${op.type} ${targetOf(op)} (id ${op.id})`;
}
