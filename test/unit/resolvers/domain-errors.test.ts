import { describe, expect, it } from 'vitest';
import { toGraphQLError } from '../../../resolvers/domain-errors.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../../../resolvers/errors.ts';

describe('domain errors → GraphQL error types', () => {
  it('maps every code to the type a mutation lists', () => {
    const of = (code: Parameters<typeof toGraphQLError>[0]['code']) =>
      toGraphQLError({ code, message: `${code} happened` }, 'Cluster default/a');
    expect(of('NOT_FOUND')).toBeInstanceOf(NotFoundError);
    expect((of('NOT_FOUND') as NotFoundError).what).toBe('Cluster default/a');
    expect(of('CONFLICT')).toBeInstanceOf(ConflictError);
    expect(of('GONE')).toBeInstanceOf(ConflictError);
    expect(of('FORBIDDEN')).toBeInstanceOf(ForbiddenError);
    expect(of('UNAUTHORIZED')).toBeInstanceOf(UnavailableError);
    expect(of('UNAVAILABLE')).toBeInstanceOf(UnavailableError);
    expect(of('VALIDATION')).toBeInstanceOf(ValidationError);
    expect(of('ALREADY_EXISTS')).toBeInstanceOf(ConflictError);
    expect(of('CONFLICT').message).toBe('CONFLICT happened');
  });

  it('keeps the field paths of a validation failure', () => {
    const error = toGraphQLError({
      code: 'VALIDATION',
      message: 'Cluster.cluster.x-k8s.io "a" is invalid',
      fields: [{ path: 'spec.replicas', message: 'must be odd' }],
    });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual([{ path: 'spec.replicas', message: 'must be odd' }]);
  });

  it('leaves an internal failure untyped, so its message is never shown as data', () => {
    const error = toGraphQLError({ code: 'INTERNAL', message: 'boom' });
    expect(error.constructor).toBe(Error);
  });
});
