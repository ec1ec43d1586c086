/**
 * v1beta2 conditions of the provider objects the engine simulates (contract v1beta2 only; a
 * v1beta1-contract provider reports `status.ready` instead): a bootstrap config, an
 * InfraMachine and an InfraCluster. Pure: facts in, ConditionInput list out.
 */
import type { ConditionInput } from '../conditions.ts';
import { pausedCondition } from './common.ts';

/** A bootstrap config waiting for the cluster (init) or the control plane (join). */
export function bootstrapWaitingConditions(init: boolean): ConditionInput[] {
  return [
    {
      type: 'Ready',
      status: false,
      reason: 'DataSecretNotAvailable',
      message: init
        ? 'Waiting for the cluster infrastructure to be ready'
        : 'Waiting for the control plane to be initialized',
    },
    { type: 'DataSecretAvailable', status: false, reason: 'NotAvailable' },
    pausedCondition(false),
  ];
}

/** A bootstrap config whose data secret was written. */
export function bootstrapReadyConditions(): ConditionInput[] {
  return [
    { type: 'Ready', status: true, reason: 'Ready' },
    { type: 'DataSecretAvailable', status: true, reason: 'Available' },
    { type: 'CertificatesAvailable', status: true, reason: 'Available' },
    pausedCondition(false),
  ];
}

/** An InfraMachine still provisioning, or waiting for something. */
export function infraMachineWaitingConditions(reason: string, message: string): ConditionInput[] {
  return [{ type: 'Ready', status: false, reason, message }, pausedCondition(false)];
}

/**
 * A provisioned InfraMachine. The in-memory backend's DevMachine also reports its VM and node,
 * and for control-plane machines the API server and etcd, as CAPI's in-memory provider does.
 */
export function infraMachineReadyConditions(inMemory: boolean, controlPlane: boolean): ConditionInput[] {
  const provisioned = (type: string): ConditionInput => ({ type, status: true, reason: 'Provisioned' });
  const dev = inMemory
    ? [
        provisioned('VMProvisioned'),
        provisioned('NodeProvisioned'),
        ...(controlPlane ? [provisioned('APIServerProvisioned'), provisioned('EtcdProvisioned')] : []),
      ]
    : [];
  return [{ type: 'Ready', status: true, reason: 'Ready' }, ...dev, pausedCondition(false)];
}

/** A provisioned InfraCluster. The in-memory DevCluster reports only Paused; other kinds Ready too. */
export function infraClusterReadyConditions(inMemory: boolean): ConditionInput[] {
  const ready: ConditionInput[] = inMemory ? [] : [{ type: 'Ready', status: true, reason: 'Ready' }];
  return [...ready, pausedCondition(false)];
}
