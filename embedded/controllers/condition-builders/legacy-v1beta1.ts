/**
 * CAPI's deprecated v1beta1 conditions (util/conditions/deprecated/v1beta1), kept by v1beta2
 * objects under `status.deprecated.v1beta1.conditions` for v1beta1 readers: a severity on False
 * conditions, lastTransitionTime renewed on any change of status, reason, severity or message,
 * Ready first then by type, and the Ready summary / mirror / aggregate merge rules.
 */
import type { KubeObject } from '../../apiserver/admission.ts';
import { arrayField, field, isRecord } from '../object-fields.ts';

export type Severity = 'Error' | 'Warning' | 'Info' | '';

export interface LegacyCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  severity?: Severity;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export const legacyTrue = (type: string): LegacyCondition => ({ type, status: 'True' });

export function legacyFalse(type: string, reason: string, severity: Severity, message = ''): LegacyCondition {
  return { type, status: 'False', reason, severity, ...(message ? { message } : {}) };
}

export function legacyUnknown(type: string, reason: string, message = ''): LegacyCondition {
  return { type, status: 'Unknown', reason, ...(message ? { message } : {}) };
}

/** The v1beta1 conditions an object carries (v1beta2 objects: under status.deprecated.v1beta1). */
export function readLegacyConditions(
  object: unknown,
  path = 'status.deprecated.v1beta1.conditions',
): LegacyCondition[] {
  return arrayField(object, path).filter(
    (c): c is LegacyCondition => isRecord(c) && typeof c.type === 'string' && typeof c.status === 'string',
  );
}

const sameState = (a: LegacyCondition, b: LegacyCondition): boolean =>
  a.status === b.status &&
  (a.reason ?? '') === (b.reason ?? '') &&
  (a.severity ?? '') === (b.severity ?? '') &&
  (a.message ?? '') === (b.message ?? '');

function order(a: LegacyCondition, b: LegacyCondition): number {
  if (a.type === b.type) return 0;
  if (a.type === 'Ready') return -1;
  if (b.type === 'Ready') return 1;
  return a.type < b.type ? -1 : 1;
}

/** conditions.Set for each update: other types are kept, the result sorted Ready first. */
export function setLegacyConditions(
  existing: LegacyCondition[],
  updates: LegacyCondition[],
  now: string,
): LegacyCondition[] {
  const byType = new Map(existing.map((c) => [c.type, c]));
  for (const update of updates) {
    const previous = byType.get(update.type);
    const condition: LegacyCondition = { ...update };
    if (!condition.severity) delete condition.severity;
    if (!condition.reason) delete condition.reason;
    if (!condition.message) delete condition.message;
    condition.lastTransitionTime =
      previous?.lastTransitionTime && sameState(previous, condition) ? previous.lastTransitionTime : now;
    byType.set(update.type, condition);
  }
  return [...byType.values()].sort(order);
}

/** Merge priority of a condition's group: False/Error, False/Warning, False/Info, True, Unknown. */
function priority(condition: LegacyCondition): number {
  if (condition.status === 'False') {
    const bySeverity: Record<string, number> = { Error: 0, Warning: 1, Info: 2 };
    // A False condition without severity (a mirrored v1beta2 one) ranks last, as in CAPI.
    return bySeverity[condition.severity ?? ''] ?? 99;
  }
  return condition.status === 'True' ? 3 : condition.status === 'Unknown' ? 4 : 99;
}

interface Sourced {
  condition: LegacyCondition;
  /** `Kind/name` of the object the condition comes from (aggregates localise reasons with it). */
  source?: string;
}

/** merge(): the top group decides the status; reason and message come from its first condition. */
function merge(
  target: string,
  conditions: Sourced[],
  options: { order?: string[]; stepCounter?: number; addSourceRef?: boolean },
): LegacyCondition | undefined {
  if (conditions.length === 0) return undefined;
  const top = Math.min(...conditions.map((c) => priority(c.condition)));
  const group = conditions
    .filter((c) => priority(c.condition) === top)
    .sort((a, b) => order(a.condition, b.condition) || (a.source ?? '').localeCompare(b.source ?? ''));
  const sample = group[0]?.condition;
  if (!sample || sample.status === 'True') return legacyTrue(target);
  const first =
    group.length === 1
      ? group[0]
      : ((options.order ?? []).map((type) => group.find((c) => c.condition.type === type)).find(Boolean) ??
        group[0]);
  let reason = first?.condition.reason ?? '';
  if (options.addSourceRef && first?.source && !reason.includes('@')) reason = `${reason} @ ${first.source}`;
  const message =
    options.stepCounter !== undefined
      ? `${conditions.filter((c) => c.condition.status === 'True').length} of ${options.stepCounter} completed`
      : (first?.condition.message ?? '');
  return sample.status === 'False'
    ? legacyFalse(target, reason, sample.severity ?? '', message)
    : legacyUnknown(target, reason, message);
}

/**
 * SetSummary: Ready from the listed conditions (others ignored). With `stepCounterOnly` the
 * message is "N of M completed" while only those conditions exist (WithStepCounterIfOnly).
 */
export function legacySummary(
  conditions: LegacyCondition[],
  types: string[],
  stepCounterOnly?: string[],
): LegacyCondition | undefined {
  const inScope = conditions.filter((c) => c.type !== 'Ready' && types.includes(c.type));
  const counting = stepCounterOnly !== undefined && inScope.every((c) => stepCounterOnly.includes(c.type));
  return merge(
    'Ready',
    inScope.map((condition) => ({ condition })),
    { order: types, ...(counting ? { stepCounter: stepCounterOnly.length } : {}) },
  );
}

/**
 * SetMirror: another object's Ready as `target`, or the fallback when it has none. CAPI reads a
 * provider object through UnstructuredGetter, i.e. its `status.conditions` whatever its contract
 * (so a v1beta2 provider's Ready is copied as is); its own kinds through the deprecated block.
 */
export function legacyMirror(
  target: string,
  from: KubeObject | undefined,
  fallback: LegacyCondition,
  path = 'status.conditions',
): LegacyCondition {
  const ready = readLegacyConditions(from, path).find((c) => c.type === 'Ready');
  if (!ready) return { ...fallback, type: target };
  const { type: _type, status, reason, message, severity } = ready;
  return {
    type: target,
    status,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    ...(severity ? { severity } : {}),
  };
}

/** SetAggregate with AddSourceRef: the objects' v1beta1 Ready merged into `target`. */
export function legacyAggregate(
  target: string,
  objects: KubeObject[],
  path?: string,
): LegacyCondition | undefined {
  const sourced: Sourced[] = [];
  for (const object of objects) {
    const ready = readLegacyConditions(object, path).find((c) => c.type === 'Ready');
    if (ready) sourced.push({ condition: ready, source: `${object.kind}/${object.metadata.name}` });
  }
  return merge(target, sourced, { addSourceRef: true });
}

/** The legacy block of a status (created on first write, as CAPI's controllers do). */
export function legacyBlock(status: Record<string, unknown>): Record<string, unknown> {
  const deprecated = isRecord(status.deprecated) ? status.deprecated : (status.deprecated = {});
  return isRecord(deprecated.v1beta1) ? deprecated.v1beta1 : (deprecated.v1beta1 = {});
}

/**
 * Writes the legacy conditions of a status being built (`updates` replace their types), then
 * the Ready summary of `summaryOf` (SetSummary at patch time, as CAPI's controllers do).
 */
export function setLegacyStatusConditions(
  status: Record<string, unknown>,
  updates: Array<LegacyCondition | undefined>,
  now: string,
  summaryOf?: { types: string[]; stepCounterOnly?: string[] },
): void {
  const block = legacyBlock(status);
  let conditions = setLegacyConditions(
    readLegacyConditions(block, 'conditions'),
    updates.filter((c): c is LegacyCondition => c !== undefined),
    now,
  );
  const ready = summaryOf && legacySummary(conditions, summaryOf.types, summaryOf.stepCounterOnly);
  if (ready) conditions = setLegacyConditions(conditions, [ready], now);
  block.conditions = conditions;
}

export function legacyCounter(object: unknown, name: string): number {
  const value = field(object, `status.deprecated.v1beta1.${name}`);
  return typeof value === 'number' ? value : 0;
}
