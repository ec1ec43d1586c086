/**
 * The one error every limit answers with: code LIMIT_EXCEEDED, the limit's name (as in the
 * gateway config `limits`), the maximum and, where known, what the request would have used.
 */
import { GraphQLError } from 'graphql';

export type LimitName =
  | 'depth'
  | 'aliases'
  | 'tokens'
  | 'directives'
  | 'cost'
  | 'executionTimeout'
  | 'responseBytes'
  | 'requestBodyBytes'
  | 'concurrentRequests'
  | 'connections'
  | 'subscriptions'
  | 'trustedDocuments';

export const limitExceededCode = 'LIMIT_EXCEEDED';

export function limitExceeded(
  limit: LimitName,
  message: string,
  details: { max?: number; found?: number; httpStatus?: number } = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: limitExceededCode,
      limit,
      ...(details.max === undefined ? {} : { max: details.max }),
      ...(details.found === undefined ? {} : { found: details.found }),
      ...(details.httpStatus === undefined ? {} : { http: { status: details.httpStatus } }),
    },
  });
}

/** The limits named by the LIMIT_EXCEEDED errors among `errors`. */
export function exceededLimits(errors: readonly unknown[] | undefined): LimitName[] {
  return (errors ?? []).flatMap((e) => {
    const ext = (e as { extensions?: { code?: unknown; limit?: unknown } } | null)?.extensions;
    return ext?.code === limitExceededCode && typeof ext.limit === 'string' ? [ext.limit as LimitName] : [];
  });
}
