import type { ConditionInput } from './conditions.ts';

/** BootstrapConfigReady as CAPI sets it on Machines and MachinePools. */
export function bootstrapReadyCondition(
  dataSecretName: string | undefined,
  configState: string,
): ConditionInput {
  if (dataSecretName) return { type: 'BootstrapConfigReady', status: true, reason: 'Ready' };
  return configState === 'missing'
    ? {
        type: 'BootstrapConfigReady',
        status: false,
        reason: 'BootstrapConfigDoesNotExist',
        message: 'Waiting for the bootstrap config to exist',
      }
    : {
        type: 'BootstrapConfigReady',
        status: false,
        reason: 'NotReady',
        message: 'Waiting for the bootstrap data secret',
      };
}
