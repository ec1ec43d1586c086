/**
 * A `mutation` or `subscription` against a schema without that root type is a validation error,
 * as graphql-js 17 makes it (KnownOperationTypesRule); graphql-js 16 lets it through to execution,
 * where it fails as an unexpected error with a stack trace. The rule rejects only a root type the
 * schema lacks, so it stays right once mutations and subscriptions exist.
 */
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const rootTypeName = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(
      new GraphQLError(
        `The schema has no ${rootTypeName[node.operation]} type: ${node.operation} operations are not supported.`,
        { nodes: node },
      ),
    );
  },
});

/** Adds the rule to every validation (HTTP, SSE and graphql-ws go through the same envelop). */
export function useKnownOperationTypes(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(knownOperationTypesRule);
    },
  };
}
