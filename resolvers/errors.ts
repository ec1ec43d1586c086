import { GraphQLError } from 'graphql';

/**
 * Expected failures. Fields that list them in `errors` (Pothos errors plugin) return them as
 * typed results; anywhere else they are GraphQL errors with a code on the field's path —
 * never masked, never carrying anything but a safe message.
 */
export class ManagementClusterUnavailableError extends GraphQLError {
  constructor(
    readonly managementCluster: string,
    reason: string,
  ) {
    super(`management cluster '${managementCluster}' is unavailable: ${reason}`, {
      extensions: { code: 'MANAGEMENT_CLUSTER_UNAVAILABLE', managementCluster },
    });
    this.name = 'ManagementClusterUnavailableError';
  }
}

export class UnknownManagementClusterError extends GraphQLError {
  constructor(readonly managementCluster: string) {
    super(`no management cluster named '${managementCluster}' is configured`, {
      extensions: { code: 'UNKNOWN_MANAGEMENT_CLUSTER', managementCluster },
    });
    this.name = 'UnknownManagementClusterError';
  }
}

export class NotFoundError extends GraphQLError {
  constructor(readonly what: string) {
    super(`${what} not found`, { extensions: { code: 'NOT_FOUND' } });
    this.name = 'NotFoundError';
  }
}

/** Bad arguments: a plain GraphQL error (code BAD_USER_INPUT) on the field's path. */
export class InvalidInputError extends GraphQLError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
    this.name = 'InvalidInputError';
  }
}
