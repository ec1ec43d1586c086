import type { ConditionView } from '../views.ts';
import { intern } from './intern.ts';
import { arr, at, str } from './json-path.ts';

/**
 * Condition types, statuses and reasons are a small vocabulary repeated on every object; a
 * JSON parse gives each object its own copies. Sharing one copy keeps the caches ~5% smaller.
 */
const vocabulary = new Map<string, string>();
const maxVocabulary = 10_000;

function shared(value: string | null): string | null {
  if (value === null) return null;
  const known = vocabulary.get(value);
  if (known !== undefined) return known;
  if (vocabulary.size < maxVocabulary && value.length <= 64) vocabulary.set(value, value);
  return value;
}

function conditionOf(value: unknown): ConditionView | null {
  const type = shared(str(value, 'type'));
  const status = shared(str(value, 'status'));
  if (!type || !status) return null;
  return {
    type,
    status,
    reason: shared(str(value, 'reason') || null),
    message: str(value, 'message') || null,
    // Conditions set together share a timestamp (one reconcile writes them all).
    lastTransitionTime: intern(str(value, 'lastTransitionTime')),
  };
}

/**
 * The v1beta2 (metav1.Condition) conditions of an object in either API version: v1beta2
 * objects carry them in `status.conditions`; v1beta1 objects served by CAPI ≥ 1.9 carry them
 * in `status.v1beta2.conditions` and the old ones (with severity) in `status.conditions`,
 * which older servers only have — those are used as a fallback.
 */
export function conditionsOf(object: unknown, apiVersion: string): ConditionView[] {
  const isV1beta1 = apiVersion.endsWith('/v1beta1');
  const source =
    isV1beta1 && at(object, 'status', 'v1beta2', 'conditions') !== undefined
      ? arr(object, 'status', 'v1beta2', 'conditions')
      : arr(object, 'status', 'conditions');
  return source.map(conditionOf).filter((c): c is ConditionView => c !== null);
}
