/**
 * A block of lines redrawn in place on a terminal, as watch(1) does: the screen is cleared
 * once, then each frame is written from the top left, every line cleared to its end and the
 * screen below the frame cleared — no flicker, and nothing pushed into the scrollback. A frame
 * is cut to the terminal's size (lines at their visible width, colour kept; rows past the
 * bottom as one "… N more" line), since a wrapped or scrolled frame would not be overwritten.
 */
// eslint-disable-next-line no-control-regex
const token = /\u001b\[[0-9;]*m|[^\u001b]+|\u001b/g;

/** The line cut to `width` visible characters; colour reset after a cut inside it. */
export function cutToWidth(line: string, width: number): string {
  let left = width;
  let out = '';
  for (const [part] of line.matchAll(token)) {
    if (part.startsWith('\u001b')) out += part;
    else if (left > 0) {
      const kept = [...part].slice(0, left).join('');
      left -= [...part].length;
      out += kept;
    }
  }
  return left < 0 ? `${out}\u001b[0m` : out;
}

export class LiveScreen {
  private started = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  draw(lines: string[]): void {
    const columns = Math.max(20, (this.out.columns ?? 120) - 1);
    const rows = Math.max(3, (this.out.rows ?? 40) - 1);
    const shown =
      lines.length <= rows ? lines : [...lines.slice(0, rows - 1), `… ${lines.length - rows + 1} more lines`];
    // Hide the cursor while drawing; clear the screen before the first frame.
    const start = this.started ? '\u001b[H' : '\u001b[?25l\u001b[2J\u001b[H';
    this.started = true;
    this.out.write(`${start}${shown.map((l) => `${cutToWidth(l, columns)}\u001b[K`).join('\n')}\n\u001b[J`);
  }

  /** The cursor back; the last frame stays on the screen. */
  close(): void {
    if (this.started) this.out.write('\u001b[?25h');
  }
}
