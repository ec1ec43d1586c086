import type { GraphQLError } from 'graphql';
import type { Identity } from '../src/auth/identity.ts';
import type { RequestAccess } from '../src/auth/request-access.ts';
import type { FleetReader } from '../src/capi/fleet-reader.ts';
import type { FleetOperations } from '../src/provisioning/operations/fleet-operations.ts';
import type { ProvisioningLimits } from '../src/provisioning/provisioning-limits.ts';
import type { ClusterChangeHub } from '../src/subscriptions/cluster-change-hub.ts';

/**
 * Per-request state: the reader to use, the errors on the path of fields that answered only in
 * part (the schema adds them, src/partial-errors.ts puts them in the response), and the
 * operations (absent where the gateway was built without them: mutations answer
 * UnavailableError).
 */
export interface GatewayContext {
  reader: FleetReader;
  partialErrors: GraphQLError[];
  operations?: FleetOperations;
  /** Who asks: the authenticated user, or 'anonymous' where the gateway runs without authentication. */
  requestedBy: string;
  /** The authenticated caller (undefined without authentication: auth mode none). */
  identity: Identity | undefined;
  /**
   * What the caller may do, as the management clusters' RBAC answers (with `identity`); `reader`
   * then already shows only what they may list.
   */
  access?: RequestAccess;
  /** The operator's limits on day-2 changes (gateway config `provisioning`; defaults when absent). */
  provisioningLimits?: ProvisioningLimits;
  /** The pub/sub subscriptions read (absent where the gateway serves none). */
  changes?: ClusterChangeHub;
}

export function createGatewayContext(
  reader: FleetReader,
  operations?: FleetOperations,
  changes?: ClusterChangeHub,
): GatewayContext {
  return {
    reader,
    partialErrors: [],
    requestedBy: 'anonymous',
    identity: undefined,
    ...(operations ? { operations } : {}),
    ...(changes ? { changes } : {}),
  };
}
