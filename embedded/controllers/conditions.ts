/**
 * metav1.Condition handling: each controller owns some condition types on an object, replaces
 * those and keeps the others (another controller's, e.g. the MachineHealthCheck's on a Machine),
 * and keeps lastTransitionTime unless the status changes — as CAPI's conditions helpers do.
 */
import { isRecord } from './object-fields.ts';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface ConditionInput {
  type: string;
  status: ConditionStatus | boolean;
  reason: string;
  message?: string;
}

export function readConditions(status: unknown): Condition[] {
  if (!isRecord(status) || !Array.isArray(status.conditions)) return [];
  return status.conditions.filter(
    (c): c is Condition => isRecord(c) && typeof c.type === 'string' && typeof c.status === 'string',
  );
}

export function findCondition(status: unknown, type: string): Condition | undefined {
  return readConditions(status).find((c) => c.type === type);
}

export function isConditionTrue(status: unknown, type: string): boolean {
  return findCondition(status, type)?.status === 'True';
}

export function mergeConditions(
  existing: Condition[],
  updates: ConditionInput[],
  now: string,
  observedGeneration: number | undefined,
): Condition[] {
  const byType = new Map(existing.map((c) => [c.type, c]));
  // A later update of a type overrides an earlier one (a phase's problem over the summary's
  // default); both are compared with the stored condition, so overriding is not a transition.
  const finalUpdates = new Map(updates.map((u) => [u.type, u]));
  for (const update of finalUpdates.values()) {
    const status: ConditionStatus =
      typeof update.status === 'boolean' ? (update.status ? 'True' : 'False') : update.status;
    const previous = existing.find((c) => c.type === update.type);
    const condition: Condition = {
      type: update.type,
      status,
      reason: update.reason,
      message: update.message ?? '',
      lastTransitionTime: previous && previous.status === status ? previous.lastTransitionTime : now,
    };
    if (observedGeneration !== undefined) condition.observedGeneration = observedGeneration;
    byType.set(update.type, condition);
  }
  return [...byType.values()].sort((a, b) => a.type.localeCompare(b.type));
}
