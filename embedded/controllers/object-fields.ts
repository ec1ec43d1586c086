/**
 * Typed reads of fields in untyped Kubernetes objects (everything the engine handles arrives as
 * JSON from the API server; schemas are the server's business, these readers only guard shapes).
 */
export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function stringField(value: unknown, path: string): string | undefined {
  const found = field(value, path);
  return typeof found === 'string' ? found : undefined;
}

export function numberField(value: unknown, path: string): number | undefined {
  const found = field(value, path);
  return typeof found === 'number' ? found : undefined;
}

export function booleanField(value: unknown, path: string): boolean | undefined {
  const found = field(value, path);
  return typeof found === 'boolean' ? found : undefined;
}

export function recordField(value: unknown, path: string): JsonRecord | undefined {
  const found = field(value, path);
  return isRecord(found) ? found : undefined;
}

export function arrayField(value: unknown, path: string): unknown[] {
  const found = field(value, path);
  return Array.isArray(found) ? found : [];
}

export function stringMapField(value: unknown, path: string): Record<string, string> {
  const found = recordField(value, path) ?? {};
  return Object.fromEntries(
    Object.entries(found).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Sets a nested field, creating intermediate objects; used by defaulting webhooks. */
export function setField(target: JsonRecord, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = target;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (!isRecord(next)) current[key] = {};
    current = current[key] as JsonRecord;
  }
  current[keys[keys.length - 1] as string] = value;
}
