/**
 * A gateway with chosen request limits over an in-memory synthetic fleet, answering in process
 * through yoga's fetch, with a count of the resolvers that ran (to prove a refused request ran
 * none).
 */
import { defaultFieldResolver, isInterfaceType, isObjectType, type GraphQLFieldResolver } from 'graphql';
import { buildGateway, type Gateway, type GatewayOptions } from '../../../src/app.ts';
import { fleetOf, type Fleet } from '../../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../../src/capi/management-cluster-cache.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import { ManagementClusterConnection } from '../../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from './fake-transport.ts';
import type { GqlResponse } from './gql.ts';

export interface LimitedGateway {
  gateway: Gateway;
  fleet: Fleet;
  transport: FakeTransport;
  /** Resolvers of the schema's own fields (not introspection) run so far. */
  resolverCalls(): number;
  post<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GqlResponse<T> }>;
  stop(): Promise<void>;
}

/** Wraps every field resolver of `schema` with a counter; returns the count and the undo. */
function countResolvers(gateway: Gateway): { count: () => number; restore: () => void } {
  let calls = 0;
  const undo: Array<() => void> = [];
  for (const type of Object.values(gateway.schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const original = field.resolve;
      const resolve = (original ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, unknown>;
      field.resolve = (...args) => {
        calls++;
        return resolve(...args);
      };
      undo.push(() => (field.resolve = original));
    }
  }
  return { count: () => calls, restore: () => undo.forEach((u) => u()) };
}

export async function limitedGateway(
  objects: KubeObject[],
  options: Omit<GatewayOptions, 'managementClusters' | 'fleet'> = {},
): Promise<LimitedGateway> {
  const transport = new FakeTransport(capiFakeKinds);
  for (const object of objects) transport.put(object);
  const fleet = fleetOf([
    new ManagementClusterCache(
      new ManagementClusterConnection('fake', 'https://fake', transport, {
        initialBackoffMs: 10,
        maxBackoffMs: 50,
      }),
    ),
  ]);
  // graphql-jit compiles resolvers once per document; counting needs every call.
  const gateway = buildGateway({ managementClusters: [], fleet, jit: false, ...options });
  fleet.start();
  if (!(await fleet.whenSynced(10_000))) throw new Error('the fake fleet did not sync');
  const counter = countResolvers(gateway);
  return {
    gateway,
    fleet,
    transport,
    resolverCalls: counter.count,
    async post(query, variables, headers = {}) {
      const res = await gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GqlResponse<never> };
    },
    async stop() {
      counter.restore();
      gateway.changes.stop();
      await fleet.stop();
    },
  };
}
