/** Typed reads from untyped JSON: wrong types read as absent, never throw. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function str(value: unknown, ...path: string[]): string | null {
  const v = at(value, ...path);
  return typeof v === 'string' ? v : null;
}

export function num(value: unknown, ...path: string[]): number | null {
  const v = at(value, ...path);
  return typeof v === 'number' ? v : null;
}

export function bool(value: unknown, ...path: string[]): boolean | null {
  const v = at(value, ...path);
  return typeof v === 'boolean' ? v : null;
}

export function arr(value: unknown, ...path: string[]): unknown[] {
  const v = at(value, ...path);
  return Array.isArray(v) ? v : [];
}

export function record(value: unknown, ...path: string[]): Record<string, string> {
  const v = at(value, ...path);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** int-or-string fields (maxSurge: 1 or "25%") as a string. */
export function intOrString(value: unknown, ...path: string[]): string | null {
  const v = at(value, ...path);
  return typeof v === 'number' || typeof v === 'string' ? String(v) : null;
}
