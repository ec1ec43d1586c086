/**
 * The execution deadline. Reads are answered synchronously from the caches, so a timer could
 * never interrupt a query: instead every field that returns an object checks, before it
 * resolves, whether its request's deadline has passed, and fails if so. A request is then cut
 * short within one field's work of its deadline.
 */
import { defaultFieldResolver, getNamedType, isCompositeType, isObjectType, isInterfaceType } from 'graphql';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { limitExceeded } from './limit-error.ts';

const deadlines = new WeakMap<object, { at: number; timeoutMs: number }>();
const wrapped = new WeakSet<GraphQLFieldResolver<unknown, unknown>>();

/** From now on, fields of the request with this context fail after `timeoutMs`. */
export function setDeadline(context: object, timeoutMs: number, now = performance.now()): void {
  deadlines.set(context, { at: now + timeoutMs, timeoutMs });
}

export function clearDeadline(context: object): void {
  deadlines.delete(context);
}

export function deadlineError(timeoutMs: number) {
  return limitExceeded(
    'executionTimeout',
    `The request ran longer than the execution timeout of ${timeoutMs} ms and was stopped.`,
    { max: timeoutMs },
  );
}

function checked(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  const guarded: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    const deadline = typeof context === 'object' && context !== null ? deadlines.get(context) : undefined;
    if (deadline !== undefined && performance.now() > deadline.at) throw deadlineError(deadline.timeoutMs);
    return resolve(source, args, context, info);
  };
  wrapped.add(guarded);
  return guarded;
}

/**
 * Adds the check to every object-returning field of `schema` that runs a resolver (once, however
 * often called). A field read straight off its parent does no work of its own; the resolvers
 * below it check.
 */
export function withExecutionDeadline(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown> | undefined;
      if (resolve && resolve !== defaultFieldResolver && !wrapped.has(resolve))
        field.resolve = checked(resolve);
    }
  }
  return schema;
}
