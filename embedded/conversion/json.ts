/** Small helpers over plain JSON objects, the shape converters work on. */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown): Json | undefined {
  return isObject(value) ? value : undefined;
}

export function arrayAt(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Sets `key` only when `value` is defined (JSON presence is the intent; absent stays absent). */
export function put(target: Json, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

/** Removes `key` from `source` and returns its value. */
export function take(source: Json, key: string): unknown {
  const value = source[key];
  delete source[key];
  return value;
}

/** The object at `key`, created when missing. */
export function child(target: Json, key: string): Json {
  const existing = objectAt(target[key]);
  if (existing) return existing;
  const created: Json = {};
  target[key] = created;
  return created;
}

/** Drops `key` when it holds an empty object (converters create parents on demand). */
export function dropEmpty(target: Json, ...keys: string[]): void {
  for (const key of keys) {
    const value = objectAt(target[key]);
    if (value && Object.keys(value).length === 0) delete target[key];
  }
}

export function getPath(root: unknown, path: string[]): unknown {
  let current = root;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function setPath(root: Json, path: string[], value: unknown): void {
  let current = root;
  for (const key of path.slice(0, -1)) current = child(current, key);
  current[path[path.length - 1]!] = value;
}

/** Applies `fn` to each object element of the array at `key` (non-objects stay as they are). */
export function eachObject(target: Json | undefined, key: string, fn: (item: Json) => Json): void {
  const items = arrayAt(target?.[key]);
  if (!target || !items) return;
  target[key] = items.map((item) => (isObject(item) ? fn(item) : item));
}
