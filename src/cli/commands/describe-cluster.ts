/** `capi-gateway describe cluster NAME`: the clusterctl describe tree of one cluster. */
import { stringify } from 'yaml';
import { DescribeClusterDocument } from '../../../client/index.ts';
import { locateCluster } from './locate-cluster.ts';
import { age } from './age.ts';
import { formatColumns } from './columns.ts';
import { buildTree, type TreeRow } from './describe-tree.ts';
import {
  CliFailure,
  clientFrom,
  exitCodes,
  failureOf,
  painter,
  runCommand,
  warnProblems,
  type GatewayOptions,
  type Paint,
} from './output.ts';

export type DescribeOptions = GatewayOptions & {
  namespace?: string;
  mc?: string;
  grouping: boolean;
  disableGrouping?: boolean;
  showMachinesets: boolean;
  showMachinehealthchecks?: boolean;
  output: 'tree' | 'json' | 'yaml';
};

export async function runDescribe(kind: string, name: string, opts: DescribeOptions): Promise<void> {
  await runCommand(async () => {
    if (!['cluster', 'clusters', 'cl'].includes(kind.toLowerCase()))
      throw new CliFailure(`cannot describe "${kind}" (only: cluster)`, exitCodes.usage);
    const client = clientFrom(opts);
    const where = await locateCluster(client, name, opts);
    const withHealthChecks = opts.showMachinehealthchecks === true;
    const res = await client.request(DescribeClusterDocument, { ...where, withHealthChecks });
    if (!res.ok) throw failureOf(res.error);
    const cluster = res.data.cluster;
    if (cluster.__typename !== 'Cluster') throw new CliFailure(cluster.message, exitCodes.failed);
    const tree = buildTree(cluster, {
      grouping: opts.grouping && !opts.disableGrouping,
      showMachineSets: opts.showMachinesets,
      showHealthChecks: withHealthChecks,
    });
    if (opts.output === 'json') process.stdout.write(`${JSON.stringify(tree, null, 2)}\n`);
    else if (opts.output === 'yaml') process.stdout.write(stringify(tree));
    else process.stdout.write(renderTree(tree, painter()));
    return warnProblems([], res.partial);
  });
}

const headers = [
  'NAME',
  'REPLICAS',
  'AVAILABLE',
  'READY',
  'UP TO DATE',
  'STATUS',
  'REASON',
  'SINCE',
  'MESSAGE',
];

/**
 * The tree as clusterctl draws it: ├─ / └─ prefixes, │ under an open branch, columns padded by
 * two spaces; STATUS is the shown condition's status; a multi-line message continues on rows of
 * its own below. With `marked` (`watch cluster`), every row starts with a gutter: `* ` on the
 * rows in it (their name also in inverse when colour is on), two spaces on the others.
 */
export function renderTree(root: TreeRow, paint: Paint, marked?: ReadonlySet<TreeRow>): string {
  const rows: string[][] = [];
  const gutter = (row: TreeRow | undefined) =>
    marked === undefined ? '' : row && marked.has(row) ? '* ' : '  ';
  const walk = (row: TreeRow, prefix: string, childPrefix: string) => {
    const [first, ...more] = messageLines(row);
    const line = cells(row, prefix, first ?? '', paint);
    const name = line[0]!.slice(prefix.length);
    line[0] = gutter(row) + prefix + (marked?.has(row) ? paint('inverse', name) : name);
    rows.push(line);
    const continuation = childPrefix + (row.children.length > 0 ? '│ ' : '  ');
    for (const text of more) rows.push([gutter(undefined) + continuation, '', '', '', '', '', '', '', text]);
    row.children.forEach((child, i) => {
      const last = i === row.children.length - 1;
      walk(child, childPrefix + (last ? '└─' : '├─'), childPrefix + (last ? '  ' : '│ '));
    });
  };
  walk(root, '', '');
  return formatColumns([gutter(undefined) + headers[0]!, ...headers.slice(1)], rows, 2);
}

function messageLines(row: TreeRow): string[] {
  if (row.message !== undefined) return [row.message];
  return (row.condition?.message ?? '').split('\n').map((l) => l.trimEnd());
}

function cells(row: TreeRow, prefix: string, message: string, paint: Paint): string[] {
  const c = row.condition;
  const colour = c?.status === 'True' ? 'green' : c?.status === 'False' ? 'red' : 'yellow';
  return [
    prefix + row.name,
    row.replicas,
    row.available,
    row.ready,
    row.upToDate,
    c ? paint(colour, c.status) : '',
    c?.reason ?? '',
    c?.lastTransitionTime ? age(c.lastTransitionTime) : '',
    row.message === undefined ? message : paint('gray', message),
  ];
}
