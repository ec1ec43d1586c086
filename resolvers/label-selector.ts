/** Kubernetes label selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelSelector = LabelRequirement[];

const keyPattern = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const valuePattern = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

function splitTopLevel(text: string): string[] {
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

function parseRequirement(part: string): LabelRequirement | string {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (set) {
    const values = set[3]!.split(',').map((v) => v.trim());
    if (!values.every((v) => valuePattern.test(v))) return `invalid value in '${part}'`;
    return { op: set[2] as 'in' | 'notin', key: set[1]!, values };
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (cmp) {
    if (!valuePattern.test(cmp[3]!)) return `invalid value in '${part}'`;
    return { op: cmp[2] === '!=' ? 'neq' : 'eq', key: cmp[1]!, value: cmp[3]! };
  }
  if (part.startsWith('!')) return { op: 'notexists', key: part.slice(1).trim() };
  return { op: 'exists', key: part };
}

export function parseLabelSelector(
  text: string,
): { ok: true; selector: LabelSelector } | { ok: false; error: string } {
  const selector: LabelSelector = [];
  for (const part of splitTopLevel(text)) {
    const requirement = parseRequirement(part);
    if (typeof requirement === 'string') return { ok: false, error: requirement };
    if (!keyPattern.test(requirement.key))
      return { ok: false, error: `invalid label key '${requirement.key}'` };
    selector.push(requirement);
  }
  return { ok: true, selector };
}

export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string>): boolean {
  return selector.every((r) => {
    const value = labels[r.key];
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
