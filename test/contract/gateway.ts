/**
 * The gateway in-process over a fixture's kubeconfig: the same composition the server uses
 * (`buildGateway`: informer caches, schema, graphql-yoga), queried through `yoga.fetch` with the
 * typed documents of test/contract/documents.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { buildGateway } from '../../src/app.ts';
import type { Gateway } from '../../src/app.ts';
import { pollUntil } from '../realcluster/poll.ts';

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

export interface ContractGatewayOptions {
  /** Drive operations (mutations): install the Operation CRD and run the driver, as the server does. */
  operations?: boolean;
}

/** A short lease and resync: the driver follows the management cluster without waiting long. */
const drivenOperations = {
  leaseDurationMs: 5_000,
  renewIntervalMs: 1_000,
  resyncIntervalMs: 1_000,
  log: () => {},
};

export async function startContractGateway(
  kubeconfigPath: string,
  options: ContractGatewayOptions = {},
): Promise<ContractGateway> {
  const gateway: Gateway = buildGateway({
    managementClusters: [{ name: managementClusterName, kubeconfigPath }],
    connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
    operations: drivenOperations,
  });
  const stop = async (): Promise<void> => {
    // A clean stop hands the operation lease over at once.
    if (options.operations === true) await gateway.operations.stop({ release: true });
    await gateway.fleet.stop();
  };
  gateway.fleet.start();
  if (options.operations === true) gateway.operations.start();
  if (!(await gateway.fleet.whenSynced(60_000))) {
    await stop();
    throw new Error('the gateway did not sync with the management cluster within 60 s');
  }
  if (options.operations === true && !(await operationsSynced(gateway, 60_000))) {
    await stop();
    throw new Error('the gateway did not install and watch its Operation CRD within 60 s');
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
    stop,
  };
}

/** Polls until the operation store of the fixture's management cluster has synced (CRD installed). */
async function operationsSynced(gateway: Gateway, timeoutMs: number): Promise<boolean> {
  try {
    await pollUntil(
      async () => (gateway.operations.store(managementClusterName)?.synced ? true : undefined),
      {
        what: 'the Operation CRD installed and watched',
        timeoutMs,
        intervalMs: 200,
      },
    );
    return true;
  } catch {
    return false;
  }
}

/** The data of an answer without errors; throws with the errors otherwise. */
export function dataOf<T>(answer: GraphqlAnswer<T>): T {
  if (answer.errors !== undefined && answer.errors.length > 0) {
    throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  }
  if (answer.data === undefined || answer.data === null) throw new Error('GraphQL answer without data');
  return answer.data;
}
