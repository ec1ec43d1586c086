import { GraphQLError } from 'graphql';
import {
  ConflictError,
  ForbiddenError,
  ManagementClusterUnavailableError,
  NotFoundError,
  UnavailableError,
  UnknownManagementClusterError,
  ValidationError,
  type FieldViolation,
} from '../../resolvers/errors.ts';
import { builder } from '../builder.ts';

/**
 * Expected failures are GraphQLErrors with safe messages (resolvers/errors.ts); anything else
 * reaching an `errors` field is a bug, and its message may carry internals.
 */
const safeMessage = (error: Error): string => {
  // The errors plugin hands resolvers a proxy whose prototype chain is proxied too, so
  // `instanceof` fails until the proxy is unwrapped (its own documented escape hatch).
  const unwrap = (error as unknown as Record<symbol, unknown>)[Symbol.for('Pothos.unwrapErrors')];
  if (typeof unwrap === 'function') (unwrap as () => void)();
  return error instanceof GraphQLError ? error.message : 'Unexpected error.';
};

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure, returned as data by fields that list their error types.',
  fields: (t) => ({ message: t.string({ resolve: safeMessage }) }),
});

// The errors plugin's default type (builder.ts `defaultTypes: [Error]`): every field with
// `errors` can answer it.
builder.objectType(Error, {
  name: 'BaseError',
  description: 'A failure without a more specific type.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ what: t.exposeString('what') }),
});

builder.objectType(ManagementClusterUnavailableError, {
  name: 'ManagementClusterUnavailableError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ managementCluster: t.exposeString('managementCluster') }),
});

builder.objectType(UnknownManagementClusterError, {
  name: 'UnknownManagementClusterError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ managementCluster: t.exposeString('managementCluster') }),
});

const FieldErrorRef = builder.objectRef<FieldViolation>('FieldError').implement({
  description: 'One rejected input field.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Where in the input, e.g. `spec.replicas`.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input, or the object it would write, breaks a rule; `fields` says which.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fields: t.field({ type: [FieldErrorRef], resolve: (e) => [...e.fields] }) }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The object changed, or already exists, since it was read: read it again and retry.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The management cluster refuses this to the caller.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(UnavailableError, {
  name: 'UnavailableError',
  description: 'The management cluster could not be asked (unreachable, overloaded, credentials rejected).',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
