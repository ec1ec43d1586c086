/** The gateway's configuration file (`--config FILE`, YAML). */
import type { RequestLimits } from '../limits/request-limits.ts';

export type ManagementClusterConfig =
  { name: string; kubeconfig: string; context?: string } | { name: string; embedded: true };

/** OpenID Connect: JWTs the issuer signed, checked against its JWKS. */
export interface OidcConfig {
  issuer: string;
  /** The `aud` a token must carry (the gateway's client ID). */
  audience: string;
  /** Where the keys are; default: the issuer's discovery document (`jwks_uri`). */
  jwksUri?: string;
  /** The claim naming the user (default `sub`). */
  usernameClaim?: string;
  /** The claim listing the groups (default `groups`). */
  groupsClaim?: string;
  /** Prepended to the user name and each group (like kube-apiserver's --oidc-username-prefix). */
  usernamePrefix?: string;
  groupsPrefix?: string;
  /** Tolerated clock difference for exp / nbf / iat (default 30 s). */
  clockSkewSeconds?: number;
}

/**
 * Who may call the gateway. Absent: no authentication (loopback only). With `tokenFile`
 * and/or `oidc`, every request needs a bearer token, and reads and writes follow the
 * management clusters' RBAC for that user.
 */
export interface AuthConfig {
  /** kube-apiserver's static token file format: `token,user,uid,"group1,group2"` per line. */
  tokenFile?: string;
  oidc?: OidcConfig;
  /** How long an access review answer is reused (default 10 s). */
  accessReviewTtlSeconds?: number;
}

export interface GatewayConfig {
  managementClusters: ManagementClusterConfig[];
  auth?: AuthConfig;
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
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: {
        tokenFile: { type: 'string', minLength: 1 },
        accessReviewTtlSeconds: { type: 'number', minimum: 0, maximum: 300 },
        oidc: {
          type: 'object',
          additionalProperties: false,
          required: ['issuer', 'audience'],
          properties: {
            issuer: { type: 'string', pattern: '^https?://' },
            audience: { type: 'string', minLength: 1 },
            jwksUri: { type: 'string', pattern: '^https?://' },
            usernameClaim: { type: 'string', minLength: 1 },
            groupsClaim: { type: 'string', minLength: 1 },
            usernamePrefix: { type: 'string' },
            groupsPrefix: { type: 'string' },
            clockSkewSeconds: { type: 'number', minimum: 0, maximum: 600 },
          },
        },
      },
    },
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
