/** kubeadm extraArgs: v1beta1 map {name: value} ⇄ v1beta2 list [{name, value}] (sorted by name, as CAPI). */
import { arrayAt, isObject, type Json } from './json.ts';

export function argsToList(args: unknown): Array<{ name: string; value: string }> | undefined {
  if (!isObject(args)) return undefined;
  return Object.keys(args)
    .sort()
    .map((name) => ({ name, value: String(args[name]) }));
}

export function argsToMap(args: unknown): Json | undefined {
  const items = arrayAt(args);
  if (!items) return undefined;
  const out: Json = {};
  for (const item of items)
    if (isObject(item) && typeof item['name'] === 'string') out[item['name']] = item['value'] ?? '';
  return out;
}
