import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents from the committed schema SDL: the tests' (test/generated/) and the client
 * package's (client/generated/, what the CLI uses) and the dashboard's (web/generated/). `npm run codegen` regenerates both
 * (committed); `npm run codegen:check` fails when either is stale.
 */
const common = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: { useTypeImports: true, enumsAsTypes: true, scalars: { JSON: 'unknown', DateTime: 'string' } },
} as const;

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: false,
  importExtension: '.ts',
  generates: {
    'test/generated/': {
      ...common,
      documents: ['test/gateway/documents/*.graphql', 'test/contract/documents/*.graphql'],
    },
    'client/generated/': { ...common, documents: ['client/documents/*.graphql'] },
    // The web dashboard's documents (web/), typed the same way.
    'web/generated/': { ...common, documents: ['web/documents/*.graphql'] },
  },
};

export default config;
