/**
 * How `watch cluster` shows each new describe tree. On a terminal, the tree is redrawn in place
 * (live-screen.ts) every second and on each change; rows that changed keep a `*` in the gutter,
 * in inverse when colour is on, for a few seconds. Elsewhere (a pipe, a log) each tree that
 * differs is printed whole under a timestamp line, after a blank line, its changed rows marked
 * `*` — what `kubectl get -w` does off a terminal, for a tree.
 */
import { ChangeMarks } from './change-marks.ts';
import { renderTree } from './describe-render.ts';
import { LiveScreen } from './live-screen.ts';
import type { Paint } from './output.ts';
import type { TreeRow } from './tree-row.ts';

const holdMs = 3_000;

export interface TreeView {
  show(tree: TreeRow): void;
  close(): void;
}

interface Entry {
  key: string;
  content: string;
  row: TreeRow;
}

/** Every row with its key (the row names from the root down) and what it shows. */
function entries(root: TreeRow): Entry[] {
  const all: Entry[] = [];
  const walk = (row: TreeRow, parent: string) => {
    const key = `${parent}\u0000${row.name}`;
    const c = row.condition;
    const shown = [row.replicas, row.available, row.ready, row.upToDate, row.message ?? ''];
    // The transition time, not the age shown from it: time passing is no change.
    const condition = c ? [c.type, c.status, c.reason, c.message, c.lastTransitionTime] : [];
    all.push({ key, content: JSON.stringify([...shown, ...condition]), row });
    for (const child of row.children) walk(child, key);
  };
  walk(root, '');
  return all;
}

/** Notes the tree's rows; the rows changed now, and whether any row went away. */
function noteTree(
  marks: ChangeMarks,
  tree: TreeRow,
  quiet: boolean,
): { changed: Set<TreeRow>; removed: boolean } {
  const now = entries(tree);
  const changed = new Set(now.filter((e) => marks.note(e.key, e.content, quiet)).map((e) => e.row));
  const keys = new Set(now.map((e) => e.key));
  const gone = marks.keys().filter((k) => !keys.has(k));
  for (const key of gone) marks.drop(key);
  return { changed, removed: gone.length > 0 };
}

export function terminalTreeView(paint: Paint, out: NodeJS.WriteStream = process.stdout): TreeView {
  const marks = new ChangeMarks(holdMs);
  const screen = new LiveScreen(out);
  let last: TreeRow | undefined;
  const draw = () => {
    if (!last) return;
    const marked = new Set(
      entries(last)
        .filter((e) => marks.marked(e.key))
        .map((e) => e.row),
    );
    screen.draw(renderTree(last, paint, marked).trimEnd().split('\n'));
  };
  // Ages move and marks fade with time alone.
  const ticker = setInterval(draw, 1_000);
  ticker.unref();
  return {
    show(tree) {
      noteTree(marks, tree, last === undefined);
      last = tree;
      draw();
    },
    close() {
      clearInterval(ticker);
      screen.close();
    },
  };
}

export function logTreeView(paint: Paint, out: NodeJS.WritableStream = process.stdout): TreeView {
  const marks = new ChangeMarks(holdMs);
  let first = true;
  return {
    show(tree) {
      const { changed, removed } = noteTree(marks, tree, first);
      if (!first && changed.size === 0 && !removed) return;
      out.write(`${first ? '' : '\n'}--- ${new Date().toISOString()}\n${renderTree(tree, paint, changed)}`);
      first = false;
    },
    close() {},
  };
}
