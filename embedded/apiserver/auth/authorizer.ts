/**
 * kube-apiserver's authorizer chain with `--authorization-mode=RBAC`: `system:masters` is
 * allowed everything, then RBAC allows or has no opinion (RBAC never denies). The reason is
 * kube's: `RBAC: allowed by …` or the errors met on the way (a binding to a missing role).
 */
import type { ObjectStore } from '../store.ts';
import type { Attributes } from './attributes.ts';
import { ruleAllows } from './policy-rule.ts';
import { describeSource, RbacIndex } from './rbac-index.ts';
import { privilegedGroup } from './user.ts';

export interface Decision {
  allowed: boolean;
  reason: string;
}

/** utilerrors.NewAggregate's wording: one message alone, several as `[a, b]` without duplicates. */
function aggregate(errors: string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

export class Authorizer {
  private index: RbacIndex | undefined;
  private readonly listeners: Array<(index: RbacIndex) => void> = [];

  constructor(private readonly store: ObjectStore) {
    store.subscribe((event) => {
      if (RbacIndex.isRbacKey(event.key)) this.index = undefined;
    });
  }

  /** Called after each rebuild of the index (the aggregation controller keeps stored rules current). */
  onRebuild(listener: (index: RbacIndex) => void): void {
    this.listeners.push(listener);
  }

  current(): RbacIndex {
    if (this.index) return this.index;
    const index = new RbacIndex(this.store);
    this.index = index;
    for (const listener of this.listeners) listener(index);
    return index;
  }

  authorize(a: Attributes): Decision {
    if (a.user.groups.includes(privilegedGroup)) return { allowed: true, reason: '' };
    const errors: string[] = [];
    for (const visit of this.current().visitRules(a.user, a.namespace)) {
      if ('error' in visit) errors.push(visit.error);
      else if (ruleAllows(a, visit.rule))
        return { allowed: true, reason: `RBAC: allowed by ${describeSource(visit.source)}` };
    }
    return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
  }
}
