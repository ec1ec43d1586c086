/**
 * Object references across the two API generations:
 * v1beta1 `corev1.ObjectReference` {apiVersion, kind, name, namespace, uid, …} ⇄
 * v1beta2 `ContractVersionedObjectReference` {apiGroup, kind, name} (same namespace; the version
 * comes from the CRD's contract label) and template references {apiVersion, kind, name}.
 */
import type { ConversionContext } from '../apiserver/conversion.ts';
import { isObject, put, type Json } from './json.ts';

export function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

export function toContractRef(ref: unknown): Json | undefined {
  if (!isObject(ref)) return undefined;
  const out: Json = {};
  out['apiGroup'] = groupOf(ref['apiVersion']);
  put(out, 'kind', ref['kind']);
  put(out, 'name', ref['name']);
  return out;
}

/** As CAPI's convertToObjectReference: the apiVersion is the one the group/kind is served at now. */
export function fromContractRef(
  ref: unknown,
  namespace: string | undefined,
  context: ConversionContext,
): Json | undefined {
  if (!isObject(ref)) return undefined;
  const group = typeof ref['apiGroup'] === 'string' ? ref['apiGroup'] : '';
  const kind = typeof ref['kind'] === 'string' ? ref['kind'] : '';
  const out: Json = {};
  out['apiVersion'] = context.apiVersionFor(group, kind) ?? `${group}/v1beta2`;
  put(out, 'kind', ref['kind']);
  put(out, 'name', ref['name']);
  put(out, 'namespace', namespace);
  return out;
}

/** v1beta1 ObjectReference → v1beta2 {apiVersion, kind, name} (template and remediation refs). */
export function toTemplateRef(ref: unknown): Json | undefined {
  if (!isObject(ref)) return undefined;
  const out: Json = {};
  put(out, 'apiVersion', ref['apiVersion']);
  put(out, 'kind', ref['kind']);
  put(out, 'name', ref['name']);
  return out;
}

export function fromTemplateRef(ref: unknown, namespace: string | undefined): Json | undefined {
  if (!isObject(ref)) return undefined;
  return { ...ref, ...(namespace ? { namespace } : {}) };
}
