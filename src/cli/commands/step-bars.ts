/**
 * `--wait` on a terminal: a line for the operation (its phase and overall progress), then a
 * cli-progress bar per step with its phase, and the running or failed step's message beside
 * its bar; redrawn in place as the operation's stream reports it.
 */
import cliProgress from 'cli-progress';
import type { OperationFieldsFragment } from '../../../client/index.ts';
import { phaseCell } from './operation-view.ts';
import type { Paint } from './output.ts';
import { stepShare } from './step-share.ts';

export interface OperationDrawing {
  show(op: OperationFieldsFragment): void;
  /** The last drawing stays; the cursor comes back. */
  stop(): void;
}

type Payload = { text: string };

/** Each bar's line is its payload's text, the bar itself put in where `{bar}` stands. */
const line: cliProgress.GenericFormatter = (options, params, payload: Payload) =>
  payload.text.replace('{bar}', cliProgress.Format.BarFormat(params.progress, options));

export function stepBars(out: NodeJS.WriteStream, paint: Paint): OperationDrawing {
  const multi = new cliProgress.MultiBar({
    stream: out,
    format: line,
    barsize: 20,
    barCompleteChar: '#',
    barIncompleteChar: '.',
    hideCursor: true,
    fps: 10,
  });
  let header: cliProgress.SingleBar | undefined;
  const steps: cliProgress.SingleBar[] = [];
  return {
    show(op) {
      const percent = Math.round(op.progress * 100);
      const title = `operation ${op.namespace}/${op.name} (${op.type}) ${phaseCell(op.phase, paint)} ${percent}%`;
      header ??= multi.create(1, 0, { text: title });
      header.update(op.progress, { text: title });
      const width = Math.max(0, ...op.steps.map((s) => s.name.length));
      op.steps.forEach((s, i) => {
        const message = s.phase === 'RUNNING' || s.phase === 'FAILED' ? (s.message ?? '') : '';
        const text = `  ${s.name.padEnd(width)} [{bar}] ${phaseCell(s.phase, paint)}${message ? `  ${message}` : ''}`;
        const share = stepShare(op, i);
        (steps[i] ??= multi.create(1, 0, { text })).update(share, { text });
      });
    },
    stop() {
      multi.stop();
    },
  };
}
