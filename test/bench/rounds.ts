/**
 * Runs a query over a reader that answers with promises (the benchmark's API-backed and
 * naive peers) against the gateway's synchronous reader port, in rounds: each round executes
 * the query over what is known so far, recording every lookup it could not answer (answered
 * meanwhile with an empty placeholder); the round's lookups are then loaded together, and the
 * query runs again — until a round needs nothing new. Its result is then exactly what a
 * reader with everything at hand returns. Rounds are as many as the query is deep (~6 for
 * the full graph); each lookup is loaded once, and all of a round's lookups in one go, so a
 * batching reader (DataLoader) still batches them.
 */
import type { ExecutionResult } from 'graphql';
import { createGatewayContext, type GatewayContext } from '../../resolvers/context.ts';
import type { FleetReader } from '../../src/capi/fleet-reader.ts';
import type { CapiView, ObjectAddress } from '../../src/capi/views.ts';
import type { AsyncFleetReader } from './async-fleet-reader.ts';

type Answer = { value: unknown } | { error: unknown };

/** A lookup's identity: views by address and uid, anything else by value. */
function keyOf(method: string, args: unknown[]): string {
  const parts = args.map((arg) => {
    const view = arg as Partial<CapiView> | undefined;
    if (view?.address && view.uid !== undefined) {
      const a: ObjectAddress = view.address;
      return `${a.managementCluster}/${a.group}/${a.kind}/${a.namespace}/${a.name}/${view.uid}`;
    }
    return JSON.stringify(arg ?? null);
  });
  return `${method}(${parts.join(',')})`;
}

const emptyFleet = () => ({ items: [], unavailable: [] });
const placeholders: { [M in keyof FleetReader]?: () => unknown } = {
  providers: () => ({ ok: false, reason: 'not loaded yet' }),
  clusters: emptyFleet,
  clusterClasses: emptyFleet,
  get: () => null,
  resolveRef: () => null,
  owner: () => null,
  clusterClass: () => null,
  controlPlaneOf: () => null,
  referrers: () => [],
  owned: () => [],
  ofCluster: () => [],
};

/** The synchronous port over one round's knowledge: answers what is known, records the rest. */
function roundReader(
  source: AsyncFleetReader,
  answers: Map<string, Answer>,
  misses: Map<string, () => Promise<unknown>>,
): FleetReader {
  const lookup =
    (method: keyof FleetReader) =>
    (...args: unknown[]): unknown => {
      const key = keyOf(method, args);
      const answer = answers.get(key);
      if (answer && 'error' in answer) throw answer.error;
      if (answer) return answer.value;
      const load = source[method] as (...a: unknown[]) => unknown;
      misses.set(key, async () => load.apply(source, args));
      return placeholders[method]!();
    };
  const reader = {
    managementClusters: () => source.managementClusters() as ReturnType<FleetReader['managementClusters']>,
    managementCluster: (name: string) =>
      source.managementCluster(name) as ReturnType<FleetReader['managementCluster']>,
    availability: (name: string) => source.availability(name) as string | null,
  } as Partial<Record<keyof FleetReader, unknown>>;
  for (const method of Object.keys(placeholders) as Array<keyof FleetReader>) reader[method] = lookup(method);
  return reader as FleetReader;
}

/** Executes `run` until a round needs no lookup it has not loaded; returns that round's result. */
export async function executeInRounds(
  source: AsyncFleetReader,
  run: (context: GatewayContext) => Promise<ExecutionResult> | ExecutionResult,
  maxRounds = 50,
): Promise<ExecutionResult> {
  const answers = new Map<string, Answer>();
  for (let round = 0; round < maxRounds; round++) {
    const misses = new Map<string, () => Promise<unknown>>();
    const result = await run(createGatewayContext(roundReader(source, answers, misses)));
    if (misses.size === 0) return result;
    await Promise.all(
      [...misses].map(async ([key, load]) => {
        try {
          answers.set(key, { value: await load() });
        } catch (error) {
          answers.set(key, { error });
        }
      }),
    );
  }
  throw new Error(`the query still needed new lookups after ${maxRounds} rounds`);
}
