/**
 * The clusterrole-aggregation controller: writes the aggregated rules into every ClusterRole
 * with an aggregationRule, so `kubectl get clusterrole admin -o yaml` shows what it grants
 * (the authorizer resolves aggregation itself and never waits for this).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ApiContext } from '../api-context.ts';
import { objectKey } from '../object-locks.ts';
import { persist } from '../write-pipeline.ts';
import type { Authorizer } from './authorizer.ts';
import { policyRules, type PolicyRule } from './policy-rule.ts';
import { rbacGroup, rbacKeys, type RbacIndex } from './rbac-index.ts';

function stored(rule: PolicyRule): Record<string, string[]> {
  return Object.fromEntries(Object.entries(rule).filter(([, values]) => (values as string[]).length > 0));
}

async function aggregate(ctx: ApiContext, index: RbacIndex): Promise<void> {
  const rt = ctx.registry.lookup(rbacGroup, 'v1', 'clusterroles')!;
  for (const { name, rules } of index.aggregatedRoles()) {
    const current = ctx.store.get(rbacKeys.clusterRoles, '', name)?.obj;
    if (!current || isDeepStrictEqual(policyRules(current['rules']), rules)) continue;
    const next = structuredClone(current);
    next['rules'] = rules.map(stored);
    try {
      await ctx.locks.run(objectKey(rbacKeys.clusterRoles, undefined, name), () =>
        persist(ctx, rt, next, current, { fieldValidation: 'Ignore', dryRun: false }),
      );
    } catch {
      // Changed meanwhile: the change rebuilds the index, which runs this again.
    }
  }
}

/** Keeps aggregated ClusterRoles' stored rules current; returns a function that waits for pending work. */
export function startAggregationController(ctx: ApiContext, authorizer: Authorizer): () => Promise<void> {
  let pending: Promise<void> = Promise.resolve();
  authorizer.onRebuild((index) => {
    pending = pending
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => aggregate(ctx, index));
  });
  authorizer.current();
  return () => pending;
}
