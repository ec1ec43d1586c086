/** The gateway's configuration file (`--config FILE`, YAML). */
export type ManagementClusterConfig =
  { name: string; kubeconfig: string; context?: string } | { name: string; embedded: true };

export interface GatewayConfig {
  managementClusters: ManagementClusterConfig[];
  /** Limits on day-2 changes (src/provisioning/provisioning-limits.ts has the defaults). */
  provisioning?: {
    maxControlPlaneReplicas?: number;
    maxWorkerReplicas?: number;
    workerUpgradeConcurrency?: number;
  };
}

export const defaultGatewayConfig: GatewayConfig = {
  managementClusters: [{ name: 'embedded', embedded: true }],
};

export const gatewayConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['managementClusters'],
  properties: {
    provisioning: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxControlPlaneReplicas: { type: 'integer', minimum: 1 },
        maxWorkerReplicas: { type: 'integer', minimum: 0 },
        workerUpgradeConcurrency: { type: 'integer', minimum: 1 },
      },
    },
    managementClusters: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
          kubeconfig: { type: 'string', minLength: 1 },
          context: { type: 'string', minLength: 1 },
          embedded: { const: true },
        },
        additionalProperties: false,
        oneOf: [
          { required: ['kubeconfig'], not: { required: ['embedded'] } },
          {
            required: ['embedded'],
            not: { anyOf: [{ required: ['kubeconfig'] }, { required: ['context'] }] },
          },
        ],
      },
    },
  },
} as const;
