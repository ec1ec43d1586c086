/**
 * The gateway side of the day-2 tests: typed GraphQL calls, IDs of a cluster's objects as
 * the gateway returns them, and waiting for an operation to finish.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { expect } from 'vitest';
import type { App } from '../../../src/app.ts';
import {
  Day2ClusterDocument,
  Day2OperationDocument,
  type Day2OperationFragment,
} from '../../generated/graphql.ts';
import { eventually, gql } from './gql.ts';

export const MC = 'mc';

export async function call<T, V>(app: App, document: TypedDocumentNode<T, V>, variables: V): Promise<T> {
  const res = await gql(app.url, document, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

export async function clusterIds(app: App, name: string) {
  const data = await call(app, Day2ClusterDocument, { managementCluster: MC, name });
  const cluster = data.cluster;
  if (!cluster || !('id' in cluster)) throw new Error(`no cluster ${name}`);
  return cluster;
}

const terminal = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Polls the operation until it ends; answers it as it ended. */
export async function finished(app: App, id: string, timeoutMs = 120_000): Promise<Day2OperationFragment> {
  return eventually(
    async () => {
      const op = (await call(app, Day2OperationDocument, { id })).operation;
      return op && terminal.has(op.phase) ? op : undefined;
    },
    timeoutMs,
    `operation ${id} to finish`,
  );
}

export async function succeeded(app: App, id: string, timeoutMs?: number): Promise<Day2OperationFragment> {
  const op = await finished(app, id, timeoutMs);
  expect(op, `${op.type} ${op.phase}: ${op.error ?? ''} ${JSON.stringify(op.steps)}`).toMatchObject({
    phase: 'SUCCEEDED',
  });
  return op;
}
