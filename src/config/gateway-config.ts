/** The gateway's configuration file (`--config FILE`, YAML). */
import type { RequestLimits } from '../limits/request-limits.ts';

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
  /**
   * Request limits (src/limits/request-limits.ts has each one's meaning and default):
   * depth 10, aliases 15, tokens 2000, directives 50, cost 500000, listSize (unset: the caches'
   * sizes), executionTimeoutMs 10000, responseBytes 32 MiB, requestBodyBytes 1 MiB,
   * webSocketMessageBytes 1 MiB, concurrentRequests 32, connections 256, subscriptions 1024 (the
   * last three per identity), introspection true, graphiql true, trustedDocuments (unset: any
   * operation; else GraphQL files or folders, relative to the config file).
   */
  limits?: Partial<RequestLimits>;
  /** The request log's level (pino: fatal, error, warn, info, debug, trace, silent; default info). */
  logLevel?: string;
}

export const defaultGatewayConfig: GatewayConfig = {
  managementClusters: [{ name: 'embedded', embedded: true }],
};

export const gatewayConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['managementClusters'],
  properties: {
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        depth: { type: 'integer', minimum: 1 },
        aliases: { type: 'integer', minimum: 0 },
        tokens: { type: 'integer', minimum: 1 },
        directives: { type: 'integer', minimum: 0 },
        cost: { type: 'integer', minimum: 1 },
        listSize: { type: 'integer', minimum: 1 },
        executionTimeoutMs: { type: 'integer', minimum: 1 },
        responseBytes: { type: 'integer', minimum: 1024 },
        requestBodyBytes: { type: 'integer', minimum: 1024 },
        webSocketMessageBytes: { type: 'integer', minimum: 1024 },
        concurrentRequests: { type: 'integer', minimum: 1 },
        connections: { type: 'integer', minimum: 1 },
        subscriptions: { type: 'integer', minimum: 1 },
        introspection: { type: 'boolean' },
        graphiql: { type: 'boolean' },
        trustedDocuments: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      },
    },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
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
