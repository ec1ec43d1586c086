// Lint rules, including the layer rules of docs/architecture.md §3: imports point one way
// (schema → resolvers → provisioning/capi → k8s) and only src/k8s (plus the embedded
// engine and tests) may import @kubernetes/client-node.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { importX } from 'eslint-plugin-import-x';

const clientNode = {
  name: '@kubernetes/client-node',
  message: 'Only src/k8s (and the embedded engine) may import @kubernetes/client-node.',
};
const noEmbedded = {
  group: ['**/embedded/**', '**/embedded/*'],
  message: 'The gateway reaches the embedded cluster only over HTTPS (app.ts starts it).',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.capi-gateway/**',
      '.cache/**',
      'test/generated/**',
      'client/generated/**',
      'web/generated/**',
      'web/dist/**',
      'test/realcluster/go/**',
      'dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // No import cycles anywhere (docs/architecture.md §3): a cycle is a layer that leaks.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts', '.js', '.mjs'] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'resolvers/**/*.ts', 'schema/**/*.ts'],
    ignores: ['src/k8s/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [clientNode], patterns: [noEmbedded] }],
    },
  },
  {
    files: ['src/app.ts', 'src/main.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [clientNode] }] },
  },
  {
    // The typed client and the CLI commands built on it talk to a gateway over GraphQL only
    // (issue 12): never the schema, resolvers or the layers beneath them.
    files: ['client/**/*.ts', 'src/cli/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [clientNode],
          patterns: [
            noEmbedded,
            {
              regex: '^(\\.\\./)+(schema|resolvers|src/capi|src/k8s)(/|$)|^(\\.\\./)+(capi|k8s)(/|$)',
              message: 'The client and the CLI commands use only the GraphQL client (client/).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['schema/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [clientNode],
          patterns: [
            noEmbedded,
            { group: ['**/src/k8s/**', '**/src/k8s/*'], message: 'schema/ never imports src/k8s.' },
          ],
        },
      ],
      // schema/ calls resolvers/ only: it may name the view types of the layers below, but any
      // value (a function, a class, a constant) it uses comes through resolvers/.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '!**/src/k8s/**'],
              allowTypeImports: true,
              message: 'schema/ calls resolvers/ only; import types from src/ with `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['resolvers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [clientNode],
          patterns: [
            noEmbedded,
            { group: ['**/schema/**', '**/schema/*'], message: 'resolvers/ must not import schema/.' },
          ],
        },
      ],
    },
  },
  {
    // The embedded management cluster is a separate program the gateway is tested against:
    // it shares only the lower Kubernetes layer (src/k8s) with the gateway.
    files: ['embedded/**/*.ts'],
    ignores: ['embedded/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(src/(capi|config|cli|app\\.ts|main\\.ts)|resolvers|schema)(/|$)',
              message: 'The embedded cluster shares only src/k8s with the gateway (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // A later block replaces an earlier one's options for the same rule: each block repeats
    // the client-node restriction that applies to its files (src/k8s's own block drops it).
    files: ['src/k8s/**/*.ts', 'src/capi/**/*.ts', 'src/provisioning/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [clientNode],
          patterns: [
            noEmbedded,
            {
              group: ['**/resolvers/**', '**/schema/**'],
              message: 'Lower layers never import resolvers/ or schema/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The lower Kubernetes layer imports no domain code: not the CAPI model, provisioning,
    // config or the CLI, not resolvers/ or schema/, not the embedded cluster.
    files: ['src/k8s/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noEmbedded,
            {
              regex:
                '^(\\.\\./)+(src/)?(capi|provisioning|config|cli|app\\.ts|main\\.ts|resolvers|schema)(/|$)',
              message:
                'src/k8s is the lower Kubernetes layer: it imports no domain code (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
);
