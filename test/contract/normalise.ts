/**
 * Makes two fixtures' gateway answers comparable: generated names, the test's namespace, uids,
 * global IDs and timestamps differ from run to run and fixture to fixture; the rest is compared
 * exactly.
 */

/**
 * The five characters Kubernetes' generateName and CAPI's name generator append, from their
 * alphabet (no vowels, no 0/1/3), as a dash-separated segment.
 */
const generatedSuffix = /-[bcdfghjklmnpqrstvwxz2456789]{5}(?![a-z0-9])/g;

/** Keys whose values are per-run identities or times, dropped from the comparison. */
const droppedKeys = new Set(['id', 'uid', 'createdAt', 'lastTransitionTime', 'lastSyncTime']);

/** Label keys whose values are hashes of a template (they differ per implementation detail). */
const hashLabels = new Set(['machine-template-hash']);

export function normaliseString(value: string, namespace: string): string {
  return value.split(namespace).join('<namespace>').replace(generatedSuffix, '-<generated>');
}

function canonical(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Fields holding a template the topology controller cloned. The clones' names are generated and
 * their prefixes are an implementation choice (CAPI names the control plane's machine template
 * clone `<cluster>-<suffix>`, see KNOWN_DIFFERENCES.md): a generated one compares as a whole.
 */
const clonedTemplateFields = new Set(['infrastructureTemplate', 'bootstrapTemplate']);

function normaliseTemplateRef(obj: Record<string, unknown>, namespace: string): unknown {
  const name = typeof obj.name === 'string' ? normaliseString(obj.name, namespace) : obj.name;
  const generated = typeof name === 'string' && name.includes('<generated>');
  return normaliseObject({ ...obj, name: generated ? '<generated>' : name }, namespace, undefined);
}

function normaliseObject(obj: Record<string, unknown>, namespace: string, key: string | undefined): unknown {
  if (key !== undefined && clonedTemplateFields.has(key)) {
    return normaliseTemplateRef(obj, namespace);
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) {
    if (droppedKeys.has(k)) continue;
    const raw = obj[k];
    out[normaliseString(k, namespace)] =
      key === 'labels' && hashLabels.has(k) && typeof raw === 'string'
        ? '<hash>'
        : normalise(raw, namespace, k);
  }
  return out;
}

/**
 * The answer with names and namespace normalised, identities and times dropped, object keys
 * sorted, and lists of objects sorted by their normalised content (machines whose names only
 * differ in a generated suffix are otherwise ordered by that suffix).
 */
export function normalise(value: unknown, namespace: string, key?: string): unknown {
  if (typeof value === 'string') return normaliseString(value, namespace);
  if (Array.isArray(value)) {
    const items = value.map((v) => normalise(v, namespace));
    const objects = items.every((v) => typeof v === 'object' && v !== null);
    return objects ? items.sort((a, b) => canonical(a).localeCompare(canonical(b))) : items;
  }
  if (typeof value === 'object' && value !== null) {
    return normaliseObject(value as Record<string, unknown>, namespace, key);
  }
  return value;
}
