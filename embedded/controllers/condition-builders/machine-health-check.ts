/**
 * What a MachineHealthCheck writes: HealthCheckSucceeded (and OwnerRemediated when it asks the
 * owner to remediate) on each target Machine, and RemediationAllowed on itself. Pure.
 */
import type { ConditionInput } from '../conditions.ts';
import { pausedCondition } from './common.ts';

export function healthCheckSucceededCondition(): ConditionInput {
  return { type: 'HealthCheckSucceeded', status: true, reason: 'HealthCheckSucceeded' };
}

export function healthCheckFailedCondition(
  reason: string | undefined,
  message: string | undefined,
): ConditionInput {
  return { type: 'HealthCheckSucceeded', status: false, reason: reason ?? 'Unhealthy', message };
}

export function waitingForRemediationCondition(): ConditionInput {
  return {
    type: 'OwnerRemediated',
    status: false,
    reason: 'WaitingForRemediation',
    message: 'Waiting for remediation',
  };
}

export function machineHealthCheckConditions(
  allowed: boolean,
  unhealthy: number,
  targets: number,
): ConditionInput[] {
  return [
    allowed
      ? { type: 'RemediationAllowed', status: true, reason: 'RemediationAllowed' }
      : {
          type: 'RemediationAllowed',
          status: false,
          reason: 'TooManyUnhealthy',
          message: `Remediation is not allowed: ${unhealthy} of ${targets} machines are unhealthy`,
        },
    pausedCondition(false),
  ];
}
