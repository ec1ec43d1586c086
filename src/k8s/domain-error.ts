/** Errors as values at the k8s boundary: a code a caller can branch on and a message safe to show. */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'VALIDATION'
  | 'UNAVAILABLE'
  | 'GONE'
  | 'INTERNAL';

/** One rejected field, as the API server names it in `details.causes` (e.g. `spec.replicas`). */
export interface FieldViolation {
  /** Dotted path of the field; '' when the server named none. */
  path: string;
  message: string;
  /** e.g. `FieldValueInvalid`, `FieldValueRequired`. */
  reason?: string;
}

export interface DomainError {
  code: DomainErrorCode;
  message: string;
  /** VALIDATION only: the fields the server rejected. */
  fields?: FieldViolation[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };
