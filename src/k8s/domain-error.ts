/** Errors as values at the k8s boundary: a code a caller can branch on and a message safe to show. */
export type DomainErrorCode =
  'NOT_FOUND' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'CONFLICT' | 'INVALID' | 'UNAVAILABLE' | 'GONE' | 'INTERNAL';

export interface DomainError {
  code: DomainErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };
