/** Label and field selectors as the real API server parses them. */
import type { KubeObject } from './admission.ts';
import { badRequest } from './errors.ts';

type Requirement =
  { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' };

export type Selector = (obj: KubeObject) => boolean;

const everything: Selector = () => true;

/** Splits on commas that are not inside `(...)`. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

const labelKey =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parseTerm(term: string): Requirement {
  let m = /^!\s*(\S+)$/.exec(term);
  if (m) return checkKey({ key: m[1]!, op: '!exists' });
  m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (m) {
    const values = m[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    values.forEach(checkValue);
    return checkKey({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) {
    checkValue(m[3]!);
    return checkKey({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
  }
  m = /^(\S+)$/.exec(term);
  if (m) return checkKey({ key: m[1]!, op: 'exists' });
  throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
}

function checkKey<T extends Requirement>(r: T): T {
  if (!labelKey.test(r.key) || r.key.length > 317) {
    throw badRequest(`unable to parse requirement: invalid label key "${r.key}"`);
  }
  return r;
}

function checkValue(value: string): void {
  if (value.length > 63 || !labelValue.test(value)) {
    throw badRequest(`unable to parse requirement: invalid label value: "${value}"`);
  }
}

function matches(labels: Record<string, string> | undefined, r: Requirement): boolean {
  const value = labels?.[r.key];
  switch (r.op) {
    case 'exists':
      return value !== undefined;
    case '!exists':
      return value === undefined;
    case 'in':
      return value !== undefined && r.values.includes(value);
    case 'notin':
      return value === undefined || !r.values.includes(value);
  }
}

export function parseLabelSelector(text: string | null): Selector {
  if (!text) return everything;
  const requirements = splitTerms(text).map(parseTerm);
  return (obj) => requirements.every((r) => matches(obj.metadata.labels, r));
}

function fieldValue(obj: KubeObject, path: string): string {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? '' : String(current);
}

/** Field selector over `metadata.name`, `metadata.namespace` and the kind's selectable fields. */
export function parseFieldSelector(text: string | null, selectable: string[]): Selector {
  if (!text) return everything;
  const supported = new Set(['metadata.name', 'metadata.namespace', ...selectable]);
  const tests = splitTerms(text).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (!supported.has(field)) throw badRequest(`field label not supported: ${field}`);
    return (obj: KubeObject) => (fieldValue(obj, field) === value) === (op !== '!=');
  });
  return (obj) => tests.every((t) => t(obj));
}
