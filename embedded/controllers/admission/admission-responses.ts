import type { AdmissionCause, AdmissionResponse } from '../../apiserver/admission.ts';

export const allowed: AdmissionResponse = { allowed: true };

export function invalidField(field: string, message: string, reason = 'FieldValueInvalid'): AdmissionCause {
  return { reason, field, message };
}

/** A 422 in the shape the real webhooks produce: `<Kind>.<group> "<name>" is invalid: <causes>`. */
export function rejectInvalid(
  kind: string,
  group: string,
  name: string,
  causes: AdmissionCause[],
): AdmissionResponse {
  if (causes.length === 0) return allowed;
  const lines = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const details = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  return {
    allowed: false,
    code: 422,
    message: `${kind}.${group} "${name}" is invalid: ${details}`,
    causes,
  };
}
