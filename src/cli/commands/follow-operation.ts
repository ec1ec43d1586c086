/**
 * `--wait`: follows an operation over the `operationUpdated` subscription to its end, drawing
 * its steps. On a terminal, the step list is redrawn in place — a progress bar per step and the
 * current step's message; elsewhere (a pipe, a CI log) one line per change of a step. The exit
 * code: 0 when it succeeded, `operationFailed` when it failed or was cancelled.
 */
import {
  FollowOperationDocument,
  GetOperationDocument,
  type GatewayClient,
  type OperationFieldsFragment,
  unavailableCode,
} from '../../../client/index.ts';
import { isFinished } from './operation-view.ts';
import { CliFailure, colourEnabled, exitCodes, failureOf, painter } from './output.ts';
import { stepBars, type OperationDrawing } from './step-bars.ts';

export async function followOperation(
  client: GatewayClient,
  start: OperationFieldsFragment,
  out: NodeJS.WriteStream = process.stderr,
): Promise<OperationFieldsFragment> {
  const drawing = out.isTTY ? stepBars(out, painter(colourEnabled(out))) : lineLog(out);
  try {
    return await follow(client, start, drawing);
  } finally {
    drawing.stop();
    await client.close();
  }
}

async function follow(
  client: GatewayClient,
  start: OperationFieldsFragment,
  drawing: OperationDrawing,
): Promise<OperationFieldsFragment> {
  const draw = (op: OperationFieldsFragment) => drawing.show(op);
  let last = start;
  draw(last);
  if (!isFinished(last.phase)) {
    for await (const res of client.subscribe(FollowOperationDocument, { id: start.id })) {
      if (!res.ok && res.error.kind === 'graphql' && res.error.code === unavailableCode) {
        process.stderr.write(`warning: ${res.error.message}\n`);
        continue;
      }
      if (!res.ok) throw failureOf(res.error);
      last = res.data.operationUpdated;
      draw(last);
      if (isFinished(last.phase)) break;
    }
  }
  // The stream ended without an end (the gateway went away): ask once more.
  if (!isFinished(last.phase)) {
    const res = await client.request(GetOperationDocument, { id: start.id });
    if (!res.ok) throw failureOf(res.error);
    if (res.data.operation) last = res.data.operation;
    draw(last);
  }
  if (!isFinished(last.phase))
    throw new CliFailure(
      `the stream of operation ${last.name} ended while it was ${last.phase}`,
      exitCodes.unreachable,
    );
  return last;
}

/** The failure an operation ended with, or nothing when it succeeded. */
export function endOf(op: OperationFieldsFragment): CliFailure | undefined {
  if (op.phase === 'SUCCEEDED') return undefined;
  const why = op.error ? `: ${op.error}` : '';
  return new CliFailure(
    `operation ${op.namespace}/${op.name} ${op.phase === 'CANCELLED' ? 'was cancelled' : 'failed'}${why}`,
    exitCodes.operationFailed,
  );
}

/** Off a terminal: one line per change of a step, then how the operation ended. */
function lineLog(out: NodeJS.WriteStream): OperationDrawing {
  const seen = new Set<string>();
  const show = (op: OperationFieldsFragment) => {
    const n = op.steps.length;
    op.steps.forEach((s, i) => {
      const line = `[${i + 1}/${n}] ${s.name}: ${s.phase}${s.message ? ` - ${s.message}` : ''}`;
      if (s.phase === 'PENDING' || seen.has(line)) return;
      seen.add(line);
      out.write(`${line}\n`);
    });
    const end = `operation ${op.namespace}/${op.name} ${op.phase}${op.error ? `: ${op.error}` : ''}`;
    if (isFinished(op.phase) && !seen.has(end)) {
      seen.add(end);
      out.write(`${end}\n`);
    }
  };
  return { show, stop() {} };
}
