import { isRecord } from './schema-props.ts';

/**
 * The JSONPath subset of additionalPrinterColumns: `.a.b`, `.a[0]`, `.a[*]`, `['key']` and
 * filters `[?(@.type=="Ready")]`. Returns every match (kubectl prints the first, or joins lists).
 */
type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: Step[]; op: '==' | '!=' | 'exists'; value?: string };

const cache = new Map<string, Step[] | Error>();

function parseSteps(expr: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const text = expr
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      // `\.` inside a name is a literal dot (`.metadata.labels.cluster\.x-k8s\.io/cluster-name`).
      const match = /^\.((?:\\.|[^.[\]\\])+)/.exec(text.slice(i));
      if (!match) throw new Error(`unexpected "${text.slice(i)}"`);
      steps.push({ kind: 'field', name: unescape(match[1]!) });
      i += match[0].length;
    } else if (c === '[') {
      const end = findClose(text, i);
      const inner = text.slice(i + 1, end).trim();
      steps.push(parseBracket(inner));
      i = end + 1;
    } else {
      throw new Error(`unexpected "${text.slice(i)}"`);
    }
  }
  return steps;
}

function unescape(name: string): string {
  return name.replace(/\\(.)/g, '$1');
}

function findClose(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new Error('unclosed [');
}

function parseBracket(inner: string): Step {
  if (inner === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: unescape(quoted[2]!) };
  const filter =
    /^\?\(@((?:\.(?:\\.|[^.=!\s)\\])+)+)\s*(?:(==|!=)\s*(?:(['"])(.*?)\3|([^)\s]+)))?\s*\)$/.exec(inner);
  if (filter) {
    const path = parseSteps(filter[1]!);
    if (!filter[2]) return { kind: 'filter', path, op: 'exists' };
    return { kind: 'filter', path, op: filter[2] as '==' | '!=', value: filter[4] ?? filter[5] ?? '' };
  }
  throw new Error(`unsupported JSONPath element [${inner}]`);
}

function apply(steps: Step[], roots: unknown[]): unknown[] {
  let current = roots;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'field') {
        if (isRecord(value) && value[step.name] !== undefined) next.push(value[step.name]);
      } else if (step.kind === 'index') {
        if (Array.isArray(value)) {
          const item = value[step.index < 0 ? value.length + step.index : step.index];
          if (item !== undefined) next.push(item);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(value)) next.push(...value);
        else if (isRecord(value)) next.push(...Object.values(value));
      } else if (Array.isArray(value)) {
        next.push(...value.filter((item) => filterMatches(step, item)));
      }
    }
    current = next;
  }
  return current;
}

function filterMatches(step: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  const found = apply(step.path, [item]);
  if (step.op === 'exists') return found.length > 0;
  const equal = found.length > 0 && String(found[0]) === step.value;
  return step.op === '==' ? equal : !equal;
}

/** Evaluates a printer-column JSONPath; an invalid expression yields an Error (checked once). */
export function evaluateJsonPath(expr: string, object: unknown): unknown[] | Error {
  let steps = cache.get(expr);
  if (steps === undefined) {
    try {
      steps = parseSteps(expr);
    } catch (error) {
      steps = error instanceof Error ? error : new Error(String(error));
    }
    cache.set(expr, steps);
  }
  return steps instanceof Error ? steps : apply(steps, [object]);
}
