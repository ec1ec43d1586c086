/**
 * The gateway in-process over a fixture's kubeconfig: the same composition the server uses
 * (`buildGateway`: informer caches, schema, graphql-yoga), queried through `yoga.fetch` with the
 * typed documents of test/contract/documents.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { buildGateway } from '../../src/app.ts';
import type { Gateway } from '../../src/app.ts';

/** The name the gateway gives the fixture's management cluster. */
export const managementClusterName = 'contract';

export interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number> }>;
}

export interface ContractGateway {
  query<T, V>(document: TypedDocumentNode<T, V>, variables: V): Promise<GraphqlAnswer<T>>;
  stop(): Promise<void>;
}

export async function startContractGateway(kubeconfigPath: string): Promise<ContractGateway> {
  const gateway: Gateway = buildGateway({
    managementClusters: [{ name: managementClusterName, kubeconfigPath }],
    connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
  });
  gateway.fleet.start();
  if (!(await gateway.fleet.whenSynced(60_000))) {
    await gateway.fleet.stop();
    throw new Error('the gateway did not sync with the management cluster within 60 s');
  }
  return {
    async query(document, variables) {
      const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return (await response.json()) as GraphqlAnswer<never>;
    },
    stop: () => gateway.fleet.stop(),
  };
}

/** The data of an answer without errors; throws with the errors otherwise. */
export function dataOf<T>(answer: GraphqlAnswer<T>): T {
  if (answer.errors !== undefined && answer.errors.length > 0) {
    throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  }
  if (answer.data === undefined || answer.data === null) throw new Error('GraphQL answer without data');
  return answer.data;
}
