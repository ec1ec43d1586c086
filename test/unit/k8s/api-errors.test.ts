import { describe, expect, it } from 'vitest';
import { statusToDomainError, toDomainError } from '../../../src/k8s/api-errors.ts';

const status = (code: number, reason: string, message: string, details?: unknown) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details });

describe('API errors as typed values', () => {
  it('422 and 400 are VALIDATION, with the field paths of details.causes', () => {
    const body = status(422, 'Invalid', 'Widget "w" is invalid', {
      causes: [
        { reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'must be >= 0' },
        { reason: 'FieldValueRequired', message: 'Required value' },
      ],
    });
    expect(statusToDomainError(422, body, 'create widgets.example.com ns/w')).toEqual({
      code: 'VALIDATION',
      message: 'create widgets.example.com ns/w: API server answered 422 (Widget "w" is invalid)',
      fields: [
        { path: 'spec.replicas', message: 'must be >= 0', reason: 'FieldValueInvalid' },
        { path: '', message: 'Required value', reason: 'FieldValueRequired' },
      ],
    });
    expect(statusToDomainError(400, status(400, 'BadRequest', 'bad patch'), 'patch')).toMatchObject({
      code: 'VALIDATION',
      fields: [],
    });
  });

  it('409 is ALREADY_EXISTS or CONFLICT by the Status reason', () => {
    expect(statusToDomainError(409, status(409, 'AlreadyExists', 'exists'), 'x').code).toBe('ALREADY_EXISTS');
    expect(statusToDomainError(409, status(409, 'Conflict', 'modified'), 'x').code).toBe('CONFLICT');
  });

  it('403 keeps the server message; 404 is NOT_FOUND; 5xx is UNAVAILABLE', () => {
    expect(
      statusToDomainError(403, status(403, 'Forbidden', 'namespaces "default" is forbidden'), 'x'),
    ).toEqual({
      code: 'FORBIDDEN',
      message: 'x: API server answered 403 (namespaces "default" is forbidden)',
    });
    expect(statusToDomainError(404, undefined, 'x').code).toBe('NOT_FOUND');
    for (const code of [500, 502, 503, 504])
      expect(statusToDomainError(code, '<html>', 'x').code).toBe('UNAVAILABLE');
  });

  it('never passes on a body that is not a Status', () => {
    const error = statusToDomainError(500, '<html>secret-token</html>', 'x');
    expect(error.message).toBe('x: API server answered 500');
  });

  it('connection failures are UNAVAILABLE, also when nested as a cause', () => {
    const nested = Object.assign(new Error('fetch failed'), {
      cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    });
    expect(toDomainError(nested, 'x')).toEqual({
      code: 'UNAVAILABLE',
      message: 'x: cannot reach the API server (ECONNRESET)',
    });
    expect(toDomainError({ code: 409, body: status(409, 'AlreadyExists', 'exists') }, 'x').code).toBe(
      'ALREADY_EXISTS',
    );
  });
});
