/**
 * Kubernetes label selectors in their string form — `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a` — parsed as the API server does (key and value syntax and lengths,
 * no empty value sets). Pure: the gateway's filters and the embedded API server both use it.
 */
export type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelSelector = LabelRequirement[];

export type LabelSelectorParse = { ok: true; selector: LabelSelector } | { ok: false; error: string };

/** The optional prefix is a DNS subdomain (lower case); the name allows upper case, `_` and `.`. */
const keyPattern =
  /^(?:([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)\/)?([A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const valuePattern = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const maxPrefix = 253;
const maxName = 63;
const maxValue = 63;

/** Splits a selector on the commas outside `(...)` (field selectors use the same terms). */
export function splitSelectorTerms(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function keyError(key: string): string | undefined {
  const m = keyPattern.exec(key);
  const valid = m && (m[1] ?? '').length <= maxPrefix && m[2]!.length <= maxName;
  return valid ? undefined : `invalid label key "${key}"`;
}

function valueError(value: string): string | undefined {
  return value.length <= maxValue && valuePattern.test(value) ? undefined : `invalid label value: "${value}"`;
}

function parseRequirement(part: string): LabelRequirement | string {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (set) {
    const values = set[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    if (values.length === 0) return `for 'in', 'notin' operators, values set can't be empty`;
    const invalid = values.map(valueError).find((e) => e);
    return invalid ?? { op: set[2] as 'in' | 'notin', key: set[1]!, values };
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (cmp) return valueError(cmp[3]!) ?? { op: cmp[2] === '!=' ? 'neq' : 'eq', key: cmp[1]!, value: cmp[3]! };
  const absent = /^!\s*(\S+)$/.exec(part);
  if (absent) return { op: 'notexists', key: absent[1]! };
  if (/^\S+$/.test(part)) return { op: 'exists', key: part };
  return `found '${part}', expected: identifier`;
}

export function parseLabelSelector(text: string): LabelSelectorParse {
  const selector: LabelSelector = [];
  for (const part of splitSelectorTerms(text)) {
    const requirement = parseRequirement(part);
    if (typeof requirement === 'string') return { ok: false, error: requirement };
    const invalidKey = keyError(requirement.key);
    if (invalidKey) return { ok: false, error: invalidKey };
    selector.push(requirement);
  }
  return { ok: true, selector };
}

export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return selector.every((r) => {
    const value = labels?.[r.key];
    switch (r.op) {
      case 'eq':
        return value === r.value;
      case 'neq':
        return value !== r.value;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      case 'exists':
        return value !== undefined;
      case 'notexists':
        return value === undefined;
    }
  });
}
