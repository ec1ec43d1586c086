/** `capi-gateway get operations`: the operation history of the fleet, newest first. */
import { ListOperationsDocument, type OperationFieldsFragment } from '../../../client/index.ts';
import { age } from './age.ts';
import { allPages } from './cluster-scope.ts';
import { formatColumns } from './columns.ts';
import type { GetOptions } from './get-clusters.ts';
import { phaseCell, targetOf } from './operation-view.ts';
import { CliFailure, clientFrom, exitCodes, failureOf, painter, serialize } from './output.ts';

export async function getOperations(opts: GetOptions): Promise<number> {
  // Operations carry no labels a selector could match: say so rather than ignore the flag.
  if (opts.selector !== undefined)
    throw new CliFailure('get operations does not take -l (operations have no labels)', exitCodes.usage);
  const client = clientFrom(opts);
  const filter = {
    ...(opts.namespace !== undefined && !opts.allNamespaces ? { namespace: opts.namespace } : {}),
    ...(opts.mc === undefined ? {} : { managementCluster: opts.mc }),
  };
  const operations = await allPages<OperationFieldsFragment>(async (after) => {
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
  if (opts.output === 'json' || opts.output === 'yaml')
    process.stdout.write(serialize(opts.output, operations));
  else if (operations.length === 0) process.stderr.write('No operations found.\n');
  else process.stdout.write(operationTable(operations, opts.output === 'wide'));
  return exitCodes.ok;
}

export function operationTable(operations: OperationFieldsFragment[], wide: boolean): string {
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
  return formatColumns(headers, rows);
}
