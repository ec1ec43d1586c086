/**
 * The operator's limits on day-2 changes (gateway config `provisioning`): the largest
 * replica counts a scale may ask for and how many worker pools a plain-cluster upgrade
 * rolls at once.
 */
export interface ProvisioningLimits {
  maxControlPlaneReplicas: number;
  maxWorkerReplicas: number;
  /** MachineDeployments / MachinePools of one plain cluster upgraded at the same time. */
  workerUpgradeConcurrency: number;
}

export const defaultProvisioningLimits: ProvisioningLimits = {
  maxControlPlaneReplicas: 7,
  maxWorkerReplicas: 500,
  workerUpgradeConcurrency: 1,
};

/** The defaults overridden by whatever the config sets. */
export function provisioningLimits(config: Partial<ProvisioningLimits> | undefined): ProvisioningLimits {
  return { ...defaultProvisioningLimits, ...(config ?? {}) };
}
