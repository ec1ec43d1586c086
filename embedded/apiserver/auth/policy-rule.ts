/** RBAC policy rules and whether one allows a request (kube's rbac.RuleAllows). */
import type { Attributes } from './attributes.ts';

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** A stored rule with every list present (absent lists are empty). */
export function policyRule(raw: unknown): PolicyRule {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    verbs: strings(r['verbs']),
    apiGroups: strings(r['apiGroups']),
    resources: strings(r['resources']),
    resourceNames: strings(r['resourceNames']),
    nonResourceURLs: strings(r['nonResourceURLs']),
  };
}

export function policyRules(raw: unknown): PolicyRule[] {
  return Array.isArray(raw) ? raw.map(policyRule) : [];
}

const matches = (list: string[], value: string): boolean => list.includes('*') || list.includes(value);

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return rule.resources.some(
    (r) =>
      r === '*' ||
      r === combined ||
      (subresource !== '' &&
        r.length === subresource.length + 2 &&
        r.startsWith('*/') &&
        r.endsWith(subresource)),
  );
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))),
  );
}

export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (!matches(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return urlMatches(rule, a.path);
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (
    matches(rule.apiGroups, a.apiGroup) &&
    resourceMatches(rule, combined, a.subresource) &&
    (rule.resourceNames.length === 0 || rule.resourceNames.includes(a.name))
  );
}
