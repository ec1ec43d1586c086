import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { buildGateway, type Gateway } from '../../../src/app.ts';
import { fleetOf } from '../../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../../src/capi/management-cluster-cache.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import { ManagementClusterConnection } from '../../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport, type FakeKind } from './fake-transport.ts';
import type { GqlResponse } from './gql.ts';

export interface InProcessGateway {
  gateway: Gateway;
  /** The management clusters' fake API servers, by name. */
  transports: Map<string, FakeTransport>;
  /** POSTs a document through yoga's own fetch, as an HTTP client would, without a socket. */
  query<T, V = Record<string, unknown>>(
    document: string | DocumentNode | TypedDocumentNode<T, V>,
    variables?: V,
  ): Promise<GqlResponse<T>>;
  stop(): Promise<void>;
}

/**
 * The gateway over in-memory management clusters (one FakeTransport each), synced, answering
 * HTTP requests in process: for tests of the GraphQL surface that need no real API server.
 */
export async function inProcessGateway(
  managementClusters: Record<string, KubeObject[]>,
  kinds: FakeKind[] = capiFakeKinds,
): Promise<InProcessGateway> {
  const transports = new Map<string, FakeTransport>();
  const caches = Object.entries(managementClusters).map(([name, objects]) => {
    const transport = new FakeTransport(kinds);
    for (const object of objects) transport.put(object);
    transports.set(name, transport);
    const connection = new ManagementClusterConnection(name, `https://${name}.fake`, transport, {
      initialBackoffMs: 10,
      maxBackoffMs: 50,
    });
    return new ManagementClusterCache(connection);
  });
  const fleet = fleetOf(caches);
  const gateway = buildGateway({ managementClusters: [], fleet });
  fleet.start();
  if (!(await fleet.whenSynced(10_000))) throw new Error('the in-process gateway did not sync');
  return {
    gateway,
    transports,
    async query(document, variables) {
      const res = await gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: typeof document === 'string' ? document : print(document),
          variables,
        }),
      });
      return (await res.json()) as never;
    },
    stop: () => fleet.stop(),
  };
}
