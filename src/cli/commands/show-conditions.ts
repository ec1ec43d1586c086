/**
 * `--show-conditions` as clusterctl v1.14 reads it (cmd/clusterctl/client/tree/tree.go
 * showConditions): a comma-separated list of `all`, `Kind` or `Kind/name`, case-insensitive,
 * each optionally ending in `+` to list only the conditions that say something (not in their
 * normal state, or with a message; Available and Ready always). The objects it selects show no
 * condition on their own row and list every condition as a row below it instead.
 */
import type { ConditionFieldsFragment } from '../../../client/index.ts';

export type ConditionFilter = 'all' | 'nonZero';

const nonZeroSuffix = '+';

/** clusterctl refuses whitespace around a filter ("Machine, KubeadmControlPlane"). */
export function showConditionsProblem(value: string): string | undefined {
  const padded = value.split(',').some((filter) => filter.trim() !== filter);
  return padded ? `invalid --show-conditions value "${value}": whitespace is not allowed` : undefined;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const strip = (text: string) => (text.endsWith(nonZeroSuffix) ? text.slice(0, -1) : text);
const filterOf = (text: string): ConditionFilter => (text.endsWith(nonZeroSuffix) ? 'nonZero' : 'all');

/** Which conditions of the object `kind`/`name` the list selects, if any; the first match wins. */
export function conditionFilterFor(list: string, kind: string, name: string): ConditionFilter | undefined {
  for (const filter of list.split(',')) {
    if (filter === '') continue;
    if (same('all', strip(filter))) return filterOf(filter);
    const parts = filter.split('/');
    if (parts.length === 2) {
      if (same(kind, parts[0]!) && same(name, strip(parts[1]!))) return filterOf(parts[1]!);
      continue;
    }
    if (same(kind, strip(parts[0]!))) return filterOf(parts[0]!);
  }
  return undefined;
}

/** Conditions whose normal state is False: True is the news (and red). */
const negativePolarity = new Set([
  'Paused',
  'Deleting',
  'RollingOut',
  'ScalingUp',
  'ScalingDown',
  'Updating',
  'Remediating',
]);

export const isPositive = (c: ConditionFieldsFragment): boolean => !negativePolarity.has(c.type);

/** In its normal state and without a message: left out by a `+` filter. */
function isZero(c: ConditionFieldsFragment): boolean {
  if (c.status === 'Unknown') return false;
  if (c.status === 'False' && isPositive(c)) return false;
  if (c.status === 'True' && !isPositive(c)) return false;
  return !c.message;
}

/** The conditions listed under an object, in the order the object stores them. */
export function shownConditions(
  conditions: ConditionFieldsFragment[],
  filter: ConditionFilter,
): ConditionFieldsFragment[] {
  if (filter === 'all') return conditions;
  return conditions.filter((c) => c.type === 'Available' || c.type === 'Ready' || !isZero(c));
}
