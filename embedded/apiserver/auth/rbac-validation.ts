/** kube's validation of the RBAC kinds (rules, roleRef, subjects; roleRef is immutable). */
import { isDeepStrictEqual } from 'node:util';
import type { AdmissionCause, KubeObject } from '../admission.ts';
import { rbacGroup } from './rbac-index.ts';

const required = (field: string, detail: string): AdmissionCause => ({
  reason: 'FieldValueRequired',
  field,
  message: `Required value: ${detail}`,
});
const invalidValue = (field: string, value: unknown, detail: string): AdmissionCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
});
const unsupported = (field: string, value: unknown, supported: string[]): AdmissionCause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function ruleCauses(rules: unknown, namespaced: boolean, field = 'rules'): AdmissionCause[] {
  if (rules !== undefined && rules !== null && !Array.isArray(rules))
    return [invalidValue(field, rules, 'must be a list of policy rules')];
  return list(rules).flatMap((raw, i) => {
    const rule = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const at = `${field}[${i}]`;
    const causes: AdmissionCause[] = [];
    if (list(rule['verbs']).length === 0)
      causes.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
    const urls = list(rule['nonResourceURLs']);
    if (urls.length > 0) {
      if (namespaced)
        causes.push(
          invalidValue(`${at}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'),
        );
      if (list(rule['apiGroups']).length || list(rule['resources']).length)
        causes.push(
          invalidValue(
            `${at}.nonResourceURLs`,
            urls,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      return causes;
    }
    if (list(rule['apiGroups']).length === 0)
      causes.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
    if (list(rule['resources']).length === 0)
      causes.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
    return causes;
  });
}

function bindingCauses(obj: KubeObject, old: KubeObject | undefined): AdmissionCause[] {
  const causes: AdmissionCause[] = [];
  const roleRef = (obj['roleRef'] ?? {}) as Record<string, unknown>;
  const kinds = obj.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (roleRef['apiGroup'] !== rbacGroup)
    causes.push(unsupported('roleRef.apiGroup', roleRef['apiGroup'] ?? '', [rbacGroup]));
  if (!kinds.includes(String(roleRef['kind'] ?? '')))
    causes.push(unsupported('roleRef.kind', roleRef['kind'] ?? '', kinds));
  if (!roleRef['name']) causes.push(required('roleRef.name', ''));
  if (old && !isDeepStrictEqual(old['roleRef'], obj['roleRef']))
    causes.push(invalidValue('roleRef', obj['roleRef'], 'cannot change roleRef'));
  list(obj['subjects']).forEach((raw, i) => {
    const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const at = `subjects[${i}]`;
    if (!s['name']) causes.push(required(`${at}.name`, ''));
    if (!['User', 'Group', 'ServiceAccount'].includes(String(s['kind'] ?? '')))
      causes.push(unsupported(`${at}.kind`, s['kind'] ?? '', ['ServiceAccount', 'User', 'Group']));
    if (s['kind'] === 'ServiceAccount' && obj.kind === 'ClusterRoleBinding' && !s['namespace'])
      causes.push(required(`${at}.namespace`, ''));
  });
  return causes;
}

/** Causes (empty when valid) for a Role, ClusterRole, RoleBinding or ClusterRoleBinding write. */
export function validateRbacObject(obj: KubeObject, old: KubeObject | undefined): AdmissionCause[] {
  switch (obj.kind) {
    case 'Role':
      return ruleCauses(obj['rules'], true);
    case 'ClusterRole':
      return ruleCauses(obj['rules'], false);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return bindingCauses(obj, old);
    default:
      return [];
  }
}
