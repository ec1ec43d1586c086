import { GraphQLError } from 'graphql';

/** Expected failures; the schema turns them into typed GraphQL error results. */
export class ManagementClusterUnavailableError extends Error {
  constructor(
    readonly managementCluster: string,
    reason: string,
  ) {
    super(`management cluster '${managementCluster}' is unavailable: ${reason}`);
    this.name = 'ManagementClusterUnavailableError';
  }
}

export class UnknownManagementClusterError extends Error {
  constructor(readonly managementCluster: string) {
    super(`no management cluster named '${managementCluster}' is configured`);
    this.name = 'UnknownManagementClusterError';
  }
}

export class NotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what} not found`);
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
