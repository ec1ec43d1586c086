/** `capi-gateway get operations`: the operation history of the fleet, newest first. */
import {
  type GatewayClient,
  ListOperationsDocument,
  type OperationFieldsFragment,
  type OperationFilter,
} from '../../../client/index.ts';
import { age } from './age.ts';
import { allPages } from './cluster-scope.ts';
import { formatColumns } from './columns.ts';
import type { GetOptions } from './get-clusters.ts';
import type { RowFormat } from './live-rows.ts';
import { phaseCell, targetOf } from './operation-view.ts';
import { CliFailure, clientFrom, exitCodes, failureOf, painter, serialize } from './output.ts';

export async function getOperations(opts: GetOptions): Promise<number> {
  const operations = await listOperations(clientFrom(opts), operationFilter(opts));
  if (opts.output === 'json' || opts.output === 'yaml')
    process.stdout.write(serialize(opts.output, operations));
  else if (operations.length === 0) process.stderr.write('No operations found.\n');
  else process.stdout.write(formatColumns(...operationTable(operations, opts.output === 'wide')));
  return exitCodes.ok;
}

/** -n and --mc as the gateway's OperationFilter. */
export function operationFilter(opts: GetOptions): OperationFilter {
  // Operations carry no labels a selector could match: say so rather than ignore the flag.
  if (opts.selector !== undefined)
    throw new CliFailure('get operations does not take -l (operations have no labels)', exitCodes.usage);
  return {
    ...(opts.namespace !== undefined && !opts.allNamespaces ? { namespace: opts.namespace } : {}),
    ...(opts.mc === undefined ? {} : { managementCluster: opts.mc }),
  };
}

export async function listOperations(
  client: GatewayClient,
  filter: OperationFilter,
): Promise<OperationFieldsFragment[]> {
  return allPages<OperationFieldsFragment>(async (after) => {
    const res = await client.request(ListOperationsDocument, {
      filter,
      first: 200,
      ...(after === undefined ? {} : { after }),
    });
    if (!res.ok) throw failureOf(res.error);
    const page = res.data.operations;
    return {
      items: page.edges.map((e) => e.node),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
}

export function operationTable(operations: OperationFieldsFragment[], wide: boolean): [string[], string[][]] {
  const paint = painter();
  const headers = [
    'MANAGEMENT CLUSTER',
    'NAMESPACE',
    'NAME',
    'TYPE',
    'TARGET',
    'PHASE',
    'PROGRESS',
    'STEP',
    'AGE',
    ...(wide ? ['REQUESTED BY', 'ID', 'ERROR'] : []),
  ];
  const rows = operations.map((op) => [
    op.managementCluster,
    op.namespace,
    op.name,
    op.type,
    targetOf(op),
    phaseCell(op.phase, paint),
    `${Math.round(op.progress * 100)}%`,
    op.currentStep ?? '<none>',
    age(op.createdAt),
    ...(wide ? [op.requestedBy, op.id, op.error ?? ''] : []),
  ]);
  return [headers, rows];
}

/** The rows of `get operations -w`, newest first as the list. */
export function operationFormat(wide: boolean): RowFormat<OperationFieldsFragment> {
  return {
    headers: operationTable([], wide)[0],
    cells: (op) => operationTable([op], wide)[1][0]!,
    compare: (a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.name.localeCompare(b.name),
    object: (op) => op,
  };
}
