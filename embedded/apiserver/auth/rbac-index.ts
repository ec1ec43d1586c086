/**
 * The RBAC objects of the store, indexed for evaluation: bindings by subject (user, group,
 * service account), roles by name, aggregated ClusterRoles resolved. Rebuilt lazily after any
 * RBAC object changes, so a request costs a few map lookups and the rules of its bindings.
 */
import type { KubeObject } from '../admission.ts';
import type { ObjectStore } from '../store.ts';
import { selectsLabels, type LabelSelectorObject } from './label-selector-object.ts';
import { policyRules, type PolicyRule } from './policy-rule.ts';
import type { UserInfo } from './user.ts';

export const rbacGroup = 'rbac.authorization.k8s.io';
export const rbacKeys = {
  roles: `roles.${rbacGroup}`,
  clusterRoles: `clusterroles.${rbacGroup}`,
  roleBindings: `rolebindings.${rbacGroup}`,
  clusterRoleBindings: `clusterrolebindings.${rbacGroup}`,
};
const rbacKeySet = new Set(Object.values(rbacKeys));

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Binding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace: string;
  roleRef: { kind: string; name: string };
  subjects: Subject[];
}

/** Where a rule comes from, worded as kube's RBAC describes it in reasons. */
export interface RuleSource {
  binding: Binding;
  subject: Subject;
}

export type RuleVisit = { source: RuleSource; rule: PolicyRule } | { error: string };

const serviceAccountPrefix = 'system:serviceaccount:';

function subjectKey(subject: Subject, bindingNamespace: string): string | undefined {
  if (subject.kind === 'User') return `u:${subject.name}`;
  if (subject.kind === 'Group') return `g:${subject.name}`;
  if (subject.kind === 'ServiceAccount') {
    const ns = subject.namespace || bindingNamespace;
    return ns ? `u:${serviceAccountPrefix}${ns}:${subject.name}` : undefined;
  }
  return undefined;
}

function subjectApplies(subject: Subject, user: UserInfo, namespace: string): boolean {
  if (subject.kind === 'User') return subject.name === user.name;
  if (subject.kind === 'Group') return user.groups.includes(subject.name);
  if (subject.kind !== 'ServiceAccount') return false;
  const ns = subject.namespace || namespace;
  return ns !== '' && user.name === `${serviceAccountPrefix}${ns}:${subject.name}`;
}

function toBinding(kind: Binding['kind'], obj: KubeObject): Binding {
  const roleRef = (obj['roleRef'] ?? {}) as { kind?: string; name?: string };
  const subjects = Array.isArray(obj['subjects']) ? (obj['subjects'] as Subject[]) : [];
  return {
    kind,
    name: obj.metadata.name ?? '',
    namespace: obj.metadata.namespace ?? '',
    roleRef: { kind: String(roleRef.kind ?? ''), name: String(roleRef.name ?? '') },
    subjects: subjects.filter((s) => typeof s === 'object' && s !== null),
  };
}

function addTo(index: Map<string, Binding[]>, key: string, binding: Binding): void {
  const list = index.get(key);
  if (!list) index.set(key, [binding]);
  else if (!list.includes(binding)) list.push(binding);
}

const byName = (a: Binding, b: Binding) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class RbacIndex {
  private readonly clusterRoles = new Map<string, KubeObject>();
  private readonly effectiveClusterRoleRules = new Map<string, PolicyRule[]>();
  private readonly roles = new Map<string, PolicyRule[]>();
  private readonly clusterBindings = new Map<string, Binding[]>();
  private readonly roleBindings = new Map<string, Map<string, Binding[]>>();

  constructor(store: ObjectStore) {
    for (const { obj } of store.list(rbacKeys.clusterRoles))
      this.clusterRoles.set(obj.metadata.name ?? '', obj);
    for (const name of this.clusterRoles.keys()) this.clusterRoleRules(name, new Set());
    for (const { obj } of store.list(rbacKeys.roles))
      this.roles.set(`${obj.metadata.namespace}/${obj.metadata.name}`, policyRules(obj['rules']));
    for (const { obj } of store.list(rbacKeys.clusterRoleBindings)) {
      const binding = toBinding('ClusterRoleBinding', obj);
      for (const s of binding.subjects) {
        const key = subjectKey(s, '');
        if (key) addTo(this.clusterBindings, key, binding);
      }
    }
    for (const { obj } of store.list(rbacKeys.roleBindings)) {
      const binding = toBinding('RoleBinding', obj);
      let forNamespace = this.roleBindings.get(binding.namespace);
      if (!forNamespace) this.roleBindings.set(binding.namespace, (forNamespace = new Map()));
      for (const s of binding.subjects) {
        const key = subjectKey(s, binding.namespace);
        if (key) addTo(forNamespace, key, binding);
      }
    }
    for (const list of this.clusterBindings.values()) list.sort(byName);
    for (const forNamespace of this.roleBindings.values())
      for (const list of forNamespace.values()) list.sort(byName);
  }

  static isRbacKey(key: string): boolean {
    return rbacKeySet.has(key);
  }

  /**
   * A ClusterRole's rules; with an aggregationRule, the rules of every ClusterRole its selectors
   * pick (by name, without duplicates), as the clusterrole-aggregation controller writes them.
   */
  clusterRoleRules(name: string, visiting: Set<string>): PolicyRule[] | undefined {
    const known = this.effectiveClusterRoleRules.get(name);
    if (known) return known;
    const role = this.clusterRoles.get(name);
    if (!role) return undefined;
    const aggregation = role['aggregationRule'] as
      { clusterRoleSelectors?: LabelSelectorObject[] } | undefined;
    if (!aggregation || visiting.has(name)) {
      const own = policyRules(role['rules']);
      if (!aggregation) this.effectiveClusterRoleRules.set(name, own);
      return own;
    }
    visiting.add(name);
    const rules: PolicyRule[] = [];
    const seen = new Set<string>();
    const names = [...this.clusterRoles.keys()].sort();
    for (const selector of aggregation.clusterRoleSelectors ?? []) {
      for (const other of names) {
        if (other === name || !selectsLabels(selector ?? {}, this.clusterRoles.get(other)!.metadata.labels))
          continue;
        for (const rule of this.clusterRoleRules(other, visiting) ?? []) {
          const key = JSON.stringify(rule);
          if (seen.has(key)) continue;
          seen.add(key);
          rules.push(rule);
        }
      }
    }
    visiting.delete(name);
    this.effectiveClusterRoleRules.set(name, rules);
    return rules;
  }

  roleRules(namespace: string, name: string): PolicyRule[] | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  /** The aggregated rules of every ClusterRole with an aggregationRule (for the stored objects). */
  aggregatedRoles(): Array<{ name: string; rules: PolicyRule[] }> {
    return [...this.clusterRoles.entries()]
      .filter(([, role]) => role['aggregationRule'] !== undefined)
      .map(([name]) => ({ name, rules: this.clusterRoleRules(name, new Set()) ?? [] }));
  }

  private referencedRules(binding: Binding): PolicyRule[] | string {
    const { kind, name } = binding.roleRef;
    if (kind === 'ClusterRole') {
      return this.clusterRoleRules(name, new Set()) ?? `clusterrole.${rbacGroup} "${name}" not found`;
    }
    if (kind === 'Role' && binding.kind === 'RoleBinding')
      return this.roles.get(`${binding.namespace}/${name}`) ?? `role.${rbacGroup} "${name}" not found`;
    return `unsupported role reference kind: "${kind}"`;
  }

  private bindingsFor(index: Map<string, Binding[]> | undefined, user: UserInfo): Binding[] {
    if (!index) return [];
    const keys = [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)];
    const lists = keys.flatMap((k) => index.get(k) ?? []);
    return [...new Set(lists)].sort(byName);
  }

  /** Every rule that applies to `user` in `namespace` (cluster bindings first), as kube's VisitRulesFor. */
  *visitRules(user: UserInfo, namespace: string): Generator<RuleVisit> {
    const sources: Array<[Binding[], string]> = [[this.bindingsFor(this.clusterBindings, user), '']];
    if (namespace !== '') sources.push([this.bindingsFor(this.roleBindings.get(namespace), user), namespace]);
    for (const [bindings, ns] of sources) {
      for (const binding of bindings) {
        const subject = binding.subjects.find((s) => subjectApplies(s, user, ns));
        if (!subject) continue;
        const rules = this.referencedRules(binding);
        if (typeof rules === 'string') {
          yield { error: rules };
          continue;
        }
        for (const rule of rules) yield { source: { binding, subject }, rule };
      }
    }
  }
}

/** `ClusterRoleBinding "x" of ClusterRole "y" to User "alice"`, kube's wording in an allowed reason. */
export function describeSource(source: RuleSource): string {
  const { binding, subject } = source;
  const who =
    subject.kind === 'ServiceAccount'
      ? `${subject.kind} "${subject.name}/${subject.namespace || binding.namespace}"`
      : `${subject.kind} "${subject.name}"`;
  const name = binding.kind === 'RoleBinding' ? `${binding.name}/${binding.namespace}` : binding.name;
  return `${binding.kind} "${name}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${who}`;
}
