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
import { isFinished, phaseCell } from './operation-view.ts';
import { CliFailure, colourEnabled, exitCodes, failureOf, painter, type Paint } from './output.ts';

export async function followOperation(
  client: GatewayClient,
  start: OperationFieldsFragment,
  out: NodeJS.WriteStream = process.stderr,
): Promise<OperationFieldsFragment> {
  const draw = out.isTTY ? liveDrawing(out) : lineLog(out);
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
  await client.close();
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

const barWidth = 20;

/** Per step: done, its share of the overall progress when current, else nothing. */
function stepShare(op: OperationFieldsFragment, index: number): number {
  const step = op.steps[index]!;
  if (step.phase === 'SUCCEEDED') return 1;
  if (step.phase !== 'RUNNING') return 0;
  const done = op.steps.filter((s) => s.phase === 'SUCCEEDED').length;
  return Math.min(1, Math.max(0, op.progress * op.steps.length - done));
}

function bar(share: number): string {
  const filled = Math.round(share * barWidth);
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
}

/** The block a terminal shows: a header, then one line per step. */
export function progressBlock(op: OperationFieldsFragment, paint: Paint): string[] {
  const width = Math.max(0, ...op.steps.map((s) => s.name.length));
  return [
    `operation ${op.namespace}/${op.name} (${op.type}) ${phaseCell(op.phase, paint)} ${Math.round(op.progress * 100)}%`,
    ...op.steps.map((s, i) => {
      const message = s.phase === 'RUNNING' || s.phase === 'FAILED' ? (s.message ?? '') : '';
      return `  ${s.name.padEnd(width)} ${bar(stepShare(op, i))} ${phaseCell(s.phase, paint)}${message ? `  ${message}` : ''}`;
    }),
  ];
}

function liveDrawing(out: NodeJS.WriteStream): (op: OperationFieldsFragment) => void {
  const paint = painter(colourEnabled(out));
  let drawn = 0;
  return (op) => {
    const lines = progressBlock(op, paint).map((l) => l.slice(0, Math.max(20, (out.columns ?? 200) - 1)));
    // Back over the previous block, then each line cleared and rewritten.
    if (drawn > 0) out.write(`\u001b[${drawn}F`);
    out.write(lines.map((l) => `\u001b[2K${l}\n`).join(''));
    drawn = lines.length;
  };
}

function lineLog(out: NodeJS.WriteStream): (op: OperationFieldsFragment) => void {
  const seen = new Set<string>();
  return (op) => {
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
}
