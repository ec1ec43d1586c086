/**
 * A wrong enum value (`clusters(filter: { phase: provisioned })`) is refused by graphql-js with
 * at most a "did you mean" for similar names — and, for a variable under graphql-jit, with only
 * "Expected type ClusterPhase." This plugin appends the enum's allowed values to such errors,
 * in validation and in variable coercion alike, so the one message says what to write.
 */
import { GraphQLError, isEnumType, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const enumNamePatterns = [
  /in "(\w+)" enum\./,
  /^Enum "(\w+)" cannot represent/,
  /Expected type "?(\w+)"?\.?$/,
];

function enumNamed(schema: GraphQLSchema, message: string) {
  for (const pattern of enumNamePatterns) {
    const type = schema.getType(pattern.exec(message)?.[1] ?? '');
    if (isEnumType(type)) return type;
  }
  return undefined;
}

export function withAllowedValues(schema: GraphQLSchema, error: GraphQLError): GraphQLError {
  const type = enumNamed(schema, error.message);
  if (!type) return error;
  const allowed = type.getValues().map((v) => v.name);
  return new GraphQLError(`${error.message} Allowed values: ${allowed.join(', ')}.`, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

export function useEnumValuesHint(): Plugin {
  return {
    onValidate({ params }) {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((e) => withAllowedValues(params.schema, e)));
      };
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          // Variable coercion fails before any field runs: such a result has errors and no data.
          if (Symbol.asyncIterator in result || !result.errors || result.data !== undefined) return;
          setResult({ ...result, errors: result.errors.map((e) => withAllowedValues(args.schema, e)) });
        },
      };
    },
  };
}
