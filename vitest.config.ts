import { defineConfig } from 'vitest/config';

/** One project per test folder: `npx vitest run --project unit` runs one; `npm test` all of them. */
const projects = {
  unit: 'test/unit',
  embedded: 'embedded/test',
  gateway: 'test/gateway',
  contract: 'test/contract',
  cli: 'test/cli',
  acceptance: 'test/acceptance',
  bench: 'test/bench',
  browser: 'test/browser',
  deploy: 'test/deploy',
};

export default defineConfig({
  // One copy of graphql for everything: vite would resolve source imports to graphql's ESM
  // build (the "module" field) while node_modules (yoga, Pothos) load the CommonJS one, and
  // `instanceof GraphQLError` would then fail across the two.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites start HTTPS servers and child processes; two workers match the 2-core machines.
    maxWorkers: 2,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    projects: Object.entries(projects).map(([name, dir]) => ({
      extends: true,
      test: { name, include: [`${dir}/**/*.test.ts`] },
    })),
  },
});
