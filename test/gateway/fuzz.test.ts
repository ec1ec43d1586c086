import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, type Gateway } from '../../src/app.ts';
import { fleetOf, type Fleet } from '../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from './support/fake-transport.ts';
import { fuzzRequests, type FuzzRequest } from './support/query-fuzzer.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

/** What the gateway process may hold while answering every fuzzed request (vitest included). */
const rssBoundBytes = 1.5 * 1024 ** 3;
const runs = 10_000;

/** What an unmasked internal error looks like: a JavaScript exception's text or a stack. */
const internals =
  /\n\s+at |TypeError|RangeError|ReferenceError|Cannot read propert|is not a function|Maximum call stack/;

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> } | undefined;
}

describe('fuzzing the schema with hostile requests', () => {
  let gateway: Gateway;
  let fleet: Fleet;
  let maxRss = 0;

  beforeAll(async () => {
    const transport = new FakeTransport(capiFakeKinds);
    for (const object of syntheticFleet({ clusters: 3, controlPlaneMachines: 3, workerMachines: 4 }))
      transport.put(object);
    fleet = fleetOf([
      new ManagementClusterCache(new ManagementClusterConnection('fake', 'https://fake', transport)),
    ]);
    // The production set-up: graphql-jit, default limits.
    gateway = buildGateway({ managementClusters: [], fleet });
    fleet.start();
    expect(await fleet.whenSynced(10_000)).toBe(true);
  });
  afterAll(async () => {
    gateway?.changes.stop();
    await fleet?.stop();
  });

  async function send(request: FuzzRequest): Promise<Answer> {
    const res = await gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(request),
    });
    const text = await res.text();
    let body: Answer['body'];
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  }

  it(`${runs} generated queries and variables: no 500, no unmasked error, bounded memory`, async () => {
    const seen = { ok: 0, rejected: 0, invalid: 0, other: 0 };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fuzzRequests(gateway.schema), async (request) => {
        const { status, body } = await send(request);
        expect(status, request.query).toBeLessThan(500);
        expect(body, request.query).toBeDefined();
        for (const error of body!.errors ?? []) {
          expect(error.message, request.query).not.toMatch(internals);
          if (error.extensions?.code === 'INTERNAL_SERVER_ERROR')
            expect(error.message).toBe('Unexpected error.');
        }
        const codes = new Set((body!.errors ?? []).map((e) => e.extensions?.code));
        if (codes.size === 0) seen.ok++;
        else if (codes.has('LIMIT_EXCEEDED')) seen.rejected++;
        else if (codes.has('GRAPHQL_VALIDATION_FAILED') || codes.has('GRAPHQL_PARSE_FAILED')) seen.invalid++;
        else seen.other++;
        if (++n % 500 === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss);
      }),
      { numRuns: runs, seed: 13, endOnFailure: true },
    );
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
    expect(maxRss).toBeLessThan(rssBoundBytes);
    // The run exercised execution, not only the validator.
    expect(seen.ok).toBeGreaterThan(runs / 10);
    console.log(`fuzz: ${JSON.stringify(seen)}, max RSS ${Math.round(maxRss / 1024 ** 2)} MiB`);
  }, 120_000);
});
