/** The gateway's configuration file (`--config FILE`, YAML). */
export type ManagementClusterConfig =
  { name: string; kubeconfig: string; context?: string } | { name: string; embedded: true };

export interface GatewayConfig {
  managementClusters: ManagementClusterConfig[];
}

export const defaultGatewayConfig: GatewayConfig = {
  managementClusters: [{ name: 'embedded', embedded: true }],
};

export const gatewayConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['managementClusters'],
  properties: {
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
