/** The live views' rules on hand-made rows: what counts as a change, and how a terminal line is cut. */
import { describe, expect, it } from 'vitest';
import { ChangeMarks } from '../../src/cli/commands/change-marks.ts';
import { goneCells, shownSignature } from '../../src/cli/commands/gone-cells.ts';
import { cutToWidth } from '../../src/cli/commands/live-screen.ts';
import { LiveRows, type Change, type RowSink } from '../../src/cli/commands/live-rows.ts';

function recorder(): { sink: RowSink<string>; seen: Array<[string, string, Change]> } {
  const seen: Array<[string, string, Change]> = [];
  return {
    seen,
    sink: { start() {}, changed: (key, item, change) => seen.push([key, item, change]), close() {} },
  };
}

describe('live rows', () => {
  it('a row is shown when new or when what it shows changes; a part replaced loses its missing rows', () => {
    const { sink, seen } = recorder();
    const rows = new LiveRows(sink, (item: string) => item.split(' ')[0]!);
    rows.start([{ key: 'a', item: 'Running 1s', part: 'c1' }]);
    rows.set('a', 'Running 9s', 'c1');
    rows.replace('c1', [
      { key: 'a', item: 'Deleting 9s' },
      { key: 'b', item: 'Pending 0s' },
    ]);
    rows.replace('c1', [{ key: 'b', item: 'Pending 1s' }]);
    rows.replace('c2', []);
    expect(seen).toEqual([
      ['a', 'Deleting 9s', 'MODIFIED'],
      ['b', 'Pending 0s', 'ADDED'],
      ['a', 'Deleting 9s', 'DELETED'],
    ]);
  });

  it('AGE is no change; a gone row reads PHASE Deleted', () => {
    const headers = ['NAME', 'PHASE', 'AGE'];
    expect(shownSignature(headers, ['m', 'Running', '1s'])).toBe(
      shownSignature(headers, ['m', 'Running', '5m']),
    );
    expect(goneCells(headers, ['m', 'Running', '1s'])).toEqual(['m', 'Deleted', '1s']);
  });

  it('marks last their hold time; a quiet note marks nothing', () => {
    let now = 0;
    const marks = new ChangeMarks(3_000, () => now);
    expect(marks.note('a', 'x', true)).toBe(false);
    expect(marks.marked('a')).toBe(false);
    expect(marks.note('a', 'x')).toBe(false);
    expect(marks.note('a', 'y')).toBe(true);
    now = 2_999;
    expect(marks.marked('a')).toBe(true);
    now = 3_000;
    expect(marks.marked('a')).toBe(false);
  });

  it('a terminal line is cut at its visible width, colour codes kept and reset after a cut', () => {
    const green = (t: string) => `\u001b[32m${t}\u001b[39m`;
    expect(cutToWidth(`ab ${green('True')} cd`, 20)).toBe(`ab ${green('True')} cd`);
    // The codes after the cut still close what they opened.
    expect(cutToWidth(`ab ${green('True')} cd`, 5)).toBe(`ab \u001b[32mTr\u001b[39m\u001b[0m`);
    expect(cutToWidth('├─Machine', 3)).toBe('├─M\u001b[0m');
  });
});
