import { isRecord } from './schema-props.ts';

/** A deep copy of a JSON value; several times faster than structuredClone for request bodies. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      // A JSON body may carry a "__proto__" key: keep it as data, never as the prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: cloneJson(value[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = cloneJson(value[key]);
    }
    return out as T;
  }
  return value;
}
