import { GraphQLError } from 'graphql';

/**
 * Expected failures. Fields that list them in `errors` (Pothos errors plugin) return them as
 * typed results; anywhere else they are GraphQL errors with a code on the field's path —
 * never masked, never carrying anything but a safe message. Each extends GraphQLError, which
 * is also how the schema tells an expected failure from an unexpected one (see
 * schema/types/errors.ts: an unexpected error's message is never shown).
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
  constructor(
    readonly what: string,
    message = `${what} not found`,
  ) {
    super(message, { extensions: { code: 'NOT_FOUND' } });
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

/** One rejected input field: `path` in the input's terms (e.g. `spec.replicas`), and why. */
export interface FieldViolation {
  path: string;
  message: string;
}

/** The input (or the object it would write) breaks a rule: every violation, with its path. */
export class ValidationError extends GraphQLError {
  constructor(
    message: string,
    readonly fields: readonly FieldViolation[],
  ) {
    super(message, { extensions: { code: 'VALIDATION_FAILED', fields } });
    this.name = 'ValidationError';
  }
}

/** The object changed (or exists) since it was read: re-read and retry. */
export class ConflictError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'CONFLICT' } });
    this.name = 'ConflictError';
  }
}

/** The management cluster refuses this change to the caller. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
    this.name = 'ForbiddenError';
  }
}

/** The management cluster could not be asked (unreachable, overloaded, credentials rejected). */
export class UnavailableError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAVAILABLE' } });
    this.name = 'UnavailableError';
  }
}

/**
 * A cursor made by a page of another order (`orderBy`) than the one asked for: positions in one
 * order mean nothing in another, so it is refused instead of answering a shifted page. Start
 * again from the first page of the new order.
 */
export class CursorOrderMismatchError extends GraphQLError {
  constructor(
    readonly field: string,
    readonly cursorOrder: string,
    readonly order: string,
  ) {
    super(
      `${field}: this cursor is from a page ordered by ${cursorOrder}, not by ${order}; ` +
        'start again from the first page',
      { extensions: { code: 'CURSOR_ORDER_MISMATCH', field, cursorOrder, order } },
    );
    this.name = 'CursorOrderMismatchError';
  }
}
