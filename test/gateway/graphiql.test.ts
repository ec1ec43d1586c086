/**
 * GraphiQL works with no network: the page the gateway serves references nothing outside it, and
 * opens on the README's example query, which is valid against the schema.
 */
import { readFile } from 'node:fs/promises';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildGateway } from '../../src/app.ts';
import { fleetOf } from '../../src/capi/fleet.ts';
import { EXAMPLE_QUERY } from '../../src/graphiql.ts';

const gateway = buildGateway({ managementClusters: [], fleet: fleetOf([]) });

async function graphiqlPage(): Promise<{ status: number; html: string }> {
  const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
    headers: { accept: 'text/html' },
  });
  return { status: response.status, html: await response.text() };
}

describe('GraphiQL', () => {
  it('is served inline: no script, stylesheet, font or worker loaded from another host', async () => {
    const { status, html } = await graphiqlPage();
    expect(status).toBe(200);
    // Every URL the page loads: src= / href= attributes, CSS url(), ES imports, importScripts.
    const loads = [
      ...html.matchAll(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/g),
      ...html.matchAll(/url\(\s*["']?(?:https?:)?\/\/[^)]+\)/g),
      ...html.matchAll(/\bimport(?:Scripts)?\s*\(\s*["'](?:https?:)?\/\/[^"']+/g),
      ...html.matchAll(/\bfrom\s+["'](?:https?:)?\/\/[^"']+/g),
      // Script / style / font URLs in string literals (e.g. worker bundles fetched at start).
      ...html.matchAll(/["'](?:https?:)?\/\/[^"'\s]+\.(?:m?js|css|woff2?|ttf)(?:\?[^"']*)?["']/g),
    ].map((m) => m[0]);
    expect(loads).toEqual([]);
    expect(html).toContain('<div id="root"></div>');
  });

  it("opens on the README's example query, and that query is valid", async () => {
    const { html } = await graphiqlPage();
    expect(html).toContain(JSON.stringify(EXAMPLE_QUERY).slice(1, 40));
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const firstGraphql = /```graphql\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(firstGraphql).toBe(EXAMPLE_QUERY);
    expect(validate(gateway.schema, parse(EXAMPLE_QUERY)).map((e) => e.message)).toEqual([]);
  });

  it('every GraphQL example in the README is valid against the schema', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks)
      expect(
        validate(gateway.schema, parse(block)).map((e) => e.message),
        block,
      ).toEqual([]);
  });
});
