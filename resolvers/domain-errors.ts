import type { DomainError, DomainErrorCode } from '../src/k8s/domain-error.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  ValidationError,
  type FieldViolation,
} from './errors.ts';

/** A domain error that may name the fields it rejects (validation failures of writes). */
export type DomainErrorWithFields = DomainError & { fields?: readonly FieldViolation[] };

const byCode: Record<DomainErrorCode, (error: DomainErrorWithFields, what: string) => Error> = {
  NOT_FOUND: (e, what) => new NotFoundError(what, e.message),
  CONFLICT: (e) => new ConflictError(e.message),
  // 410: the resourceVersion a change was based on is gone — the same remedy as a conflict.
  GONE: (e) => new ConflictError(e.message),
  FORBIDDEN: (e) => new ForbiddenError(e.message),
  // 401 rejects the gateway's own credentials, not the caller: the cluster cannot be used.
  UNAUTHORIZED: (e) => new UnavailableError(e.message),
  VALIDATION: (e) => new ValidationError(e.message, e.fields ?? []),
  // A create whose name is taken: the caller must pick another name or change the existing object.
  ALREADY_EXISTS: (e) => new ConflictError(e.message),
  UNAVAILABLE: (e) => new UnavailableError(e.message),
  // Not an expected failure: a plain Error, which the schema never shows the message of.
  INTERNAL: (e) => new Error(e.message),
};

/**
 * The one map from domain errors (src/k8s/domain-error.ts) to the GraphQL error types
 * mutations list in `errors`; `what` names the object for NotFoundError.
 */
export function toGraphQLError(error: DomainErrorWithFields, what = 'object'): Error {
  return byCode[error.code](error, what);
}
