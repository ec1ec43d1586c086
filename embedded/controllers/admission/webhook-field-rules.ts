/**
 * Field rules shared by CAPI's core webhooks, with CAPI's wording: Kubernetes versions must be
 * semantic versions, `clusterName` never changes, int-or-percent fields parse, label selectors
 * select the template's labels.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AdmissionCause, AdmissionRequest } from '../../apiserver/admission.ts';
import { arrayField, field, isRecord, stringField, stringMapField } from '../object-fields.ts';
import { invalidField } from './admission-responses.ts';

/** CAPI's util/version.KubeSemver (after defaulting added the `v`). */
const KUBE_SEMVER = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_.+]*)?$/;

/**
 * True on create, and on update when the field changed: rules that CAPI's webhooks apply to
 * every write are applied to changed fields only, so an object stored before these rules existed
 * can still be updated (finalizers removed) — the real server ratchets its schema rules the same way.
 */
export function changed(request: AdmissionRequest, path: string): boolean {
  return (
    !request.oldObject || !isDeepStrictEqual(field(request.oldObject, path), field(request.object, path))
  );
}

export function versionCauses(request: AdmissionRequest, path: string): AdmissionCause[] {
  const version = stringField(request.object, path);
  if (version === undefined || KUBE_SEMVER.test(version) || !changed(request, path)) return [];
  return [invalidField(path, `Invalid value: "${version}": must be a valid semantic version`)];
}

export function immutableClusterNameCauses(request: AdmissionRequest): AdmissionCause[] {
  if (!request.oldObject) return [];
  const before = stringField(request.oldObject, 'spec.clusterName');
  if (before === stringField(request.object, 'spec.clusterName')) return [];
  return [invalidField('spec.clusterName', 'Forbidden: field is immutable', 'FieldValueForbidden')];
}

/** intstr.GetScaledValueFromIntOrPercent's parse errors, as CAPI's webhooks quote them. */
export function intOrPercentCauses(request: AdmissionRequest, path: string): AdmissionCause[] {
  const value = field(request.object, path);
  if (value === undefined || typeof value === 'number' || !changed(request, path)) return [];
  const problem =
    typeof value !== 'string'
      ? 'invalid type: neither int nor percentage'
      : !value.endsWith('%')
        ? 'invalid type: string is not a percentage'
        : /^-?\d+$/.test(value.slice(0, -1))
          ? undefined
          : `invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${value.slice(0, -1)}": invalid syntax`;
  if (!problem) return [];
  return [
    invalidField(
      path,
      `Invalid value: ${JSON.stringify(value)}: must be either an int or a percentage: ${problem}`,
    ),
  ];
}

interface Requirement {
  key: string;
  operator: string;
  values: string[];
}

function requirements(selectorPath: string, request: AdmissionRequest): Requirement[] {
  const fromLabels = Object.entries(stringMapField(request.object, `${selectorPath}.matchLabels`)).map(
    ([key, value]) => ({ key, operator: 'In', values: [value] }),
  );
  const fromExpressions = arrayField(request.object, `${selectorPath}.matchExpressions`)
    .filter(isRecord)
    .map((expression) => ({
      key: String(expression['key'] ?? ''),
      operator: String(expression['operator'] ?? ''),
      values: (Array.isArray(expression['values']) ? expression['values'] : []).map(String),
    }));
  return [...fromLabels, ...fromExpressions].sort((a, b) => a.key.localeCompare(b.key));
}

function matches(requirement: Requirement, labels: Record<string, string>): boolean {
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/** labels.Selector.String(): requirements sorted by key, single-value In written as `k=v`. */
function selectorString(all: Requirement[]): string {
  return all
    .map(({ key, operator, values }) => {
      if (operator === 'In' && values.length === 1) return `${key}=${values[0]}`;
      if (operator === 'In') return `${key} in (${[...values].sort().join(',')})`;
      if (operator === 'NotIn') return `${key} notin (${[...values].sort().join(',')})`;
      if (operator === 'Exists') return key;
      return `!${key}`;
    })
    .join(',');
}

/** Go's `%#v` of a map[string]string, as field.Invalid renders the template labels. */
function goMap(labels: Record<string, string>): string {
  const entries = Object.keys(labels)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(labels[key])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** MachineDeployments report a Forbidden cause, MachineSets an Invalid one (as CAPI does). */
export function selectorCauses(request: AdmissionRequest, style: 'forbidden' | 'invalid'): AdmissionCause[] {
  const all = requirements('spec.selector', request);
  const labels = stringMapField(request.object, 'spec.template.metadata.labels');
  if (all.every((requirement) => matches(requirement, labels))) return [];
  const path = 'spec.template.metadata.labels';
  const message = `must match spec.selector ${JSON.stringify(selectorString(all))}`;
  return style === 'forbidden'
    ? [invalidField(path, `Forbidden: ${message}`, 'FieldValueForbidden')]
    : [invalidField(path, `Invalid value: ${goMap(labels)}: ${message}`)];
}

/** True when the label selector selects everything (no matchLabels, no matchExpressions). */
export function selectorEmpty(request: AdmissionRequest): boolean {
  return requirements('spec.selector', request).length === 0;
}
