/**
 * Introspection off for production: graphql-js's own rule refuses `__schema` and `__type`
 * (`__typename` stays), and GraphQL Armor hides the "Did you mean …?" field suggestions that
 * would give the schema away one name at a time.
 */
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function introspectionPlugins(enabled: boolean): Plugin[] {
  if (enabled) return [];
  return [
    {
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    },
    blockFieldSuggestionsPlugin({ mask: '' }) as Plugin,
  ];
}
