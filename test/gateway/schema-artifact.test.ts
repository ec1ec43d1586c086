import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printGatewaySchema } from '../../schema/index.ts';

describe('schema/schema.graphql', () => {
  it('is the printed, sorted schema (else: run `npm run schema:print` and commit it)', async () => {
    const committed = await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    const fresh = printGatewaySchema();
    if (committed !== fresh) {
      expect.fail(
        'schema/schema.graphql is stale: run `npm run schema:print` (then `npm run codegen`) and commit',
      );
    }
    expect(fresh).toMatch(/type Query \{/);
  });
});
