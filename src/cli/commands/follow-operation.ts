/**
 * `--wait`: follows an operation over the `operationUpdated` subscription to its end, drawing
 * its steps. On a terminal, the step list is redrawn in place — a progress bar per step and the
 * current step's message; elsewhere (a pipe, a CI log) one line per change of a step. The exit
 * code: 0 when it succeeded, `operationFailed` when it failed or was cancelled.
 *
 * The operation runs in the gateway whatever happens to this connection, so a gateway lost on
 * the way (restarted, the network dropped) is waited for, as the watching commands do
 * (live-subscription.ts): the stream is opened again and starts with the operation as it is now.
 */
import {
  FollowOperationDocument,
  type GatewayClient,
  type OperationFieldsFragment,
} from '../../../client/index.ts';
import { liveSubscription } from './live-subscription.ts';
import { isFinished } from './operation-view.ts';
import { CliFailure, colourEnabled, exitCodes, painter } from './output.ts';
import { stepBars, type OperationDrawing } from './step-bars.ts';

export async function followOperation(
  client: GatewayClient,
  start: OperationFieldsFragment,
  out: NodeJS.WriteStream = process.stderr,
): Promise<OperationFieldsFragment> {
  const drawing = out.isTTY ? stepBars(out, painter(colourEnabled(out))) : lineLog(out);
  try {
    return await follow(client, start, drawing, out);
  } finally {
    drawing.stop();
    await client.close();
  }
}

async function follow(
  client: GatewayClient,
  start: OperationFieldsFragment,
  drawing: OperationDrawing,
  log: { write(text: string): unknown },
): Promise<OperationFieldsFragment> {
  let last = start;
  drawing.show(last);
  if (isFinished(last.phase)) return last;
  const updates = liveSubscription(
    client,
    FollowOperationDocument,
    { id: start.id },
    // The mutation that started it was answered: the gateway is known, a lost one is waited for;
    // the stream ends only with the operation, so an end before that is reopened too.
    { followedBefore: true, reopenOnEnd: true, log },
  );
  for await (const data of updates) {
    last = data.operationUpdated;
    drawing.show(last);
    if (isFinished(last.phase)) return last;
  }
  throw new CliFailure(
    `the stream of operation ${last.name} ended while it was ${last.phase}`,
    exitCodes.unreachable,
  );
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
