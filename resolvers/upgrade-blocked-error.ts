import { GraphQLError } from 'graphql';
import type { UpgradeBlocker } from '../src/provisioning/upgrade-blockers.ts';

/**
 * The cluster's current state stops the upgrade (paused, deleting, a rollout or an upgrade
 * still running, failing conditions, a version its ClusterClass does not allow): nothing was
 * changed, and `blockers` says what to fix or wait for — the same list planUpgrade shows.
 */
export class UpgradeBlockedError extends GraphQLError {
  constructor(readonly blockers: readonly UpgradeBlocker[]) {
    super(`the upgrade cannot start: ${blockers.map((b) => b.message).join('; ')}`, {
      extensions: { code: 'UPGRADE_BLOCKED', blockers: blockers.map((b) => b.code) },
    });
    this.name = 'UpgradeBlockedError';
  }
}
