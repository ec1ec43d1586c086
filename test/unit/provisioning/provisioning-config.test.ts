import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../src/config/load-config.ts';
import {
  defaultProvisioningLimits,
  provisioningLimits,
} from '../../../src/provisioning/provisioning-limits.ts';

const withProvisioning = (yaml: string) =>
  parseGatewayConfig(`managementClusters: [{ name: a, embedded: true }]\nprovisioning:\n${yaml}`, '/');

describe('gateway config: provisioning limits', () => {
  it('reads the maximums and the worker upgrade concurrency; unset ones keep their defaults', () => {
    const parsed = withProvisioning('  maxControlPlaneReplicas: 5\n  workerUpgradeConcurrency: 2\n');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(provisioningLimits(parsed.config.provisioning)).toEqual({
      maxControlPlaneReplicas: 5,
      maxWorkerReplicas: defaultProvisioningLimits.maxWorkerReplicas,
      workerUpgradeConcurrency: 2,
    });
  });

  it('refuses unknown keys and values out of range, naming them', () => {
    expect(withProvisioning('  maxWorkerReplica: 5\n')).toMatchObject({
      ok: false,
      error: expect.stringContaining('maxWorkerReplica'),
    });
    expect(withProvisioning('  maxControlPlaneReplicas: 0\n')).toMatchObject({
      ok: false,
      error: expect.stringContaining('provisioning.maxControlPlaneReplicas'),
    });
    expect(withProvisioning('  workerUpgradeConcurrency: 1.5\n')).toMatchObject({ ok: false });
  });

  it('is optional', () => {
    const parsed = parseGatewayConfig('managementClusters: [{ name: a, embedded: true }]\n', '/');
    expect(parsed.ok && provisioningLimits(parsed.config.provisioning)).toEqual(defaultProvisioningLimits);
  });
});
