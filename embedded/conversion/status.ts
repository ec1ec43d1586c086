/**
 * The status layout change shared by every CAPI kind:
 * - v1beta2 `status.conditions` (metav1.Condition) appear in v1beta1 under `status.v1beta2.conditions`;
 * - v1beta2 `status.deprecated.v1beta1.*` (legacy conditions, failureReason/Message, old replica
 *   counters) are v1beta1's top-level `status.*`;
 * - v1beta2 counters with a new meaning (readyReplicas, availableReplicas, upToDateReplicas) and the
 *   Cluster's controlPlane/workers summaries appear in v1beta1 under `status.v1beta2.*`;
 * - v1beta2 `status.initialization.*` booleans are v1beta1's `…Ready` booleans.
 */
import { isObject, objectAt, put, take, type Json } from './json.ts';

export interface StatusLayout {
  /** v1beta1 top-level fields that v1beta2 keeps under `deprecated.v1beta1` (besides conditions). */
  deprecated: string[];
  /** v1beta2 top-level fields that v1beta1 shows under `status.v1beta2` (besides conditions). */
  underV1beta2: string[];
  /** v1beta2 `initialization` field → v1beta1 boolean field. */
  initialization: Record<string, string>;
}

export const conditionsOnly: StatusLayout = {
  deprecated: ['failureReason', 'failureMessage'],
  underV1beta2: [],
  initialization: {},
};

export function statusToV1beta1(status: unknown, layout: StatusLayout): Json | undefined {
  if (!isObject(status)) return undefined;
  const rest: Json = structuredClone(status);
  const conditions = take(rest, 'conditions');
  const deprecated = objectAt(objectAt(take(rest, 'deprecated'))?.['v1beta1']);
  const initialization = objectAt(take(rest, 'initialization'));
  const v1beta2: Json = {};
  put(v1beta2, 'conditions', conditions);
  for (const field of layout.underV1beta2) put(v1beta2, field, take(rest, field));
  if (Object.keys(v1beta2).length) rest['v1beta2'] = v1beta2;
  for (const [field, value] of Object.entries(deprecated ?? {})) rest[field] = value;
  for (const [from, to] of Object.entries(layout.initialization)) put(rest, to, initialization?.[from]);
  return rest;
}

export function statusToV1beta2(status: unknown, layout: StatusLayout): Json | undefined {
  if (!isObject(status)) return undefined;
  const rest: Json = structuredClone(status);
  const v1beta2 = objectAt(take(rest, 'v1beta2')) ?? {};
  const deprecated: Json = {};
  for (const field of ['conditions', ...layout.deprecated]) put(deprecated, field, take(rest, field));
  const initialization: Json = {};
  for (const [to, from] of Object.entries(layout.initialization)) put(initialization, to, take(rest, from));
  for (const [field, value] of Object.entries(v1beta2)) rest[field] = value;
  if (Object.keys(initialization).length) rest['initialization'] = initialization;
  if (Object.keys(deprecated).length) rest['deprecated'] = { v1beta1: deprecated };
  return rest;
}
