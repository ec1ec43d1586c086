/**
 * Introspection off for production: graphql-js's own rule refuses `__schema` and `__type`
 * (`__typename` stays), and GraphQL Armor hides the "Did you mean …?" field suggestions that
 * would give the schema away one name at a time.
 */
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const inlineFragmentHint = /\s*Did you mean to use an inline fragment on [^?]*\?/g;

function withoutTypeSuggestions<E extends Error>(error: E): E | GraphQLError {
  if (!(error instanceof GraphQLError)) return error;
  const message = error.message.replace(inlineFragmentHint, '').trim();
  if (message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: error.extensions,
  });
}

export function introspectionPlugins(enabled: boolean): Plugin[] {
  if (enabled) return [];
  return [
    {
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    },
    blockFieldSuggestionsPlugin({ mask: '' }) as Plugin,
    // Armor hides `Did you mean "x"?`; graphql-js also suggests inline fragments on named types.
    {
      onValidate: () =>
        function hideTypeSuggestions({ valid, result, setResult }) {
          if (valid) return;
          setResult(result.map((e: Error) => withoutTypeSuggestions(e)));
        },
    },
  ];
}
