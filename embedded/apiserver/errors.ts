/**
 * Kubernetes `Status` error bodies. Handlers throw a `StatusError`; the HTTP layer turns it
 * into a `kind: Status` response, so no request ever ends in a stack trace or a 500 body.
 */
import type { AdmissionCause } from './admission.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'InternalError';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: AdmissionCause[];
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `group` is '' for the core group; `resource` is the plural. */
export interface ResourceRef {
  group: string;
  resource: string;
  kind?: string;
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

export const badRequest = (message: string): StatusError => new StatusError(400, 'BadRequest', message);

export const notFound = (ref: ResourceRef, name: string): StatusError =>
  new StatusError(404, 'NotFound', `${qualified(ref)} "${name}" not found`, {
    name,
    group: ref.group,
    kind: ref.resource,
  });

export const notFoundPath = (): StatusError =>
  new StatusError(404, 'NotFound', 'the server could not find the requested resource');

export const alreadyExists = (ref: ResourceRef, name: string): StatusError =>
  new StatusError(409, 'AlreadyExists', `${qualified(ref)} "${name}" already exists`, {
    name,
    group: ref.group,
    kind: ref.resource,
  });

export const conflict = (ref: ResourceRef, name: string, why: string): StatusError =>
  new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(ref)} "${name}": ${why}`, {
    name,
    group: ref.group,
    kind: ref.resource,
  });

export const invalid = (
  ref: ResourceRef,
  kind: string,
  name: string,
  causes: AdmissionCause[],
): StatusError => {
  const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ');
  const list = causes.length > 1 ? `[${summary}]` : summary;
  const qualifiedKind = ref.group ? `${kind}.${ref.group}` : kind;
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    group: ref.group,
    kind,
    causes,
  });
};

export const forbidden = (message: string, details?: StatusDetails): StatusError =>
  new StatusError(403, 'Forbidden', message, details);

export const methodNotAllowed = (method: string): StatusError =>
  new StatusError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );

export const unsupportedMediaType = (contentType: string): StatusError =>
  new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
  );

export const tooLarge = (): StatusError =>
  new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');

export const expired = (message: string): StatusError => new StatusError(410, 'Expired', message);

export const unauthorized = (): StatusError => new StatusError(401, 'Unauthorized', 'Unauthorized');

export const internal = (message: string): StatusError => new StatusError(500, 'InternalError', message);

/**
 * The stored object changed while a request was being processed (admission plugins may yield):
 * handlers without a resourceVersion precondition retry from the new state, as the real
 * server's GuaranteedUpdate does; the rest answer 409 Conflict.
 */
export class StaleReadError extends StatusError {
  constructor(ref: ResourceRef, name: string) {
    super(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(ref)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      {
        name,
        group: ref.group,
        kind: ref.resource,
      },
    );
  }
}

/** Runs `attempt` again (a few times) when it lost a race with another writer. */
export async function retryOnStale<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleReadError) || i >= 4) throw error;
    }
  }
}
