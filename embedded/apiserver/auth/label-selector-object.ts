/** A structured `metav1.LabelSelector` (matchLabels / matchExpressions) against an object's labels. */
interface Requirement {
  key?: unknown;
  operator?: unknown;
  values?: unknown;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Requirement[];
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const key = String(r.key ?? '');
  const values = Array.isArray(r.values) ? r.values.map(String) : [];
  const has = Object.hasOwn(labels, key);
  switch (r.operator) {
    case 'In':
      return has && values.includes(labels[key]!);
    case 'NotIn':
      return !has || !values.includes(labels[key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** An empty selector selects everything, as LabelSelectorAsSelector makes it. */
export function selectsLabels(
  selector: LabelSelectorObject,
  labels: Record<string, string> | undefined,
): boolean {
  const own = labels ?? {};
  return (
    Object.entries(selector.matchLabels ?? {}).every(([k, v]) => own[k] === v) &&
    (selector.matchExpressions ?? []).every((r) => requirementMatches(r, own))
  );
}
