import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One copy of graphql for everything: vite would resolve source imports to graphql's ESM
  // build (the "module" field) while node_modules (yoga, Pothos) load the CommonJS one, and
  // `instanceof GraphQLError` would then fail across the two.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts', 'embedded/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites start HTTPS servers and child processes; two workers match the 2-core machines.
    maxWorkers: 2,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
