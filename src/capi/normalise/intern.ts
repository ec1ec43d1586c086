/**
 * One shared copy of the strings and label sets that repeat across cached views. A JSON parse
 * gives every object its own copy of its apiVersion, group, kind, namespace, cluster name,
 * timestamps and labels; across a fleet they are a small vocabulary (all Machines of a
 * MachineSet carry the same labels). Bounded: past the bound values are kept as they come.
 */
const strings = new Map<string, string>();
const maxStrings = 200_000;
const maxStringLength = 128;

export function intern(value: string): string;
export function intern(value: string | null): string | null;
export function intern(value: string | null): string | null {
  if (value === null) return null;
  const known = strings.get(value);
  if (known !== undefined) return known;
  if (strings.size < maxStrings && value.length <= maxStringLength) strings.set(value, value);
  return value;
}

const labelSets = new Map<string, Readonly<Record<string, string>>>();
const maxLabelSets = 100_000;
const noLabels: Readonly<Record<string, string>> = Object.freeze({});

/** Equal label sets share one frozen object (views are never mutated). */
export function internLabels(labels: Record<string, string> | undefined): Record<string, string> {
  if (!labels) return noLabels as Record<string, string>;
  const keys = Object.keys(labels);
  if (keys.length === 0) return noLabels as Record<string, string>;
  let id = '';
  for (const k of keys) id += `${k}\u0000${labels[k]}\u0000`;
  const known = labelSets.get(id);
  if (known) return known as Record<string, string>;
  const shared: Record<string, string> = {};
  for (const k of keys) shared[intern(k)] = intern(labels[k]!);
  Object.freeze(shared);
  if (labelSets.size < maxLabelSets) labelSets.set(id, shared);
  return shared;
}
