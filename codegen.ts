import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the tests (and later the CLI) from the committed schema SDL.
 * `npm run codegen` regenerates test/generated/ (committed); `npm run codegen:check` fails
 * when it is stale.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/gateway/documents/*.graphql', 'test/contract/documents/*.graphql'],
  ignoreNoDocuments: false,
  importExtension: '.ts',
  generates: {
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { JSON: 'unknown', DateTime: 'string' } },
    },
  },
};

export default config;
