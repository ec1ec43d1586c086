/** `capi-gateway describe cluster NAME`: the clusterctl describe tree of one cluster. */
import { stringify } from 'yaml';
import { DescribeClusterDocument } from '../../../client/index.ts';
import { locateCluster } from './locate-cluster.ts';
import { renderTree } from './describe-render.ts';
import { buildTree } from './describe-tree.ts';
import { showConditionsProblem } from './show-conditions.ts';
import {
  CliFailure,
  clientFrom,
  exitCodes,
  failureOf,
  painter,
  runCommand,
  warnProblems,
  type GatewayOptions,
} from './output.ts';

export type DescribeOptions = GatewayOptions & {
  namespace?: string;
  mc?: string;
  grouping: boolean;
  disableGrouping?: boolean;
  showMachinesets: boolean;
  showMachinehealthchecks?: boolean;
  showConditions?: string;
  echo?: boolean;
  output: 'tree' | 'json' | 'yaml';
};

export async function runDescribe(kind: string, name: string, opts: DescribeOptions): Promise<void> {
  await runCommand(async () => {
    if (!['cluster', 'clusters', 'cl'].includes(kind.toLowerCase()))
      throw new CliFailure(`cannot describe "${kind}" (only: cluster)`, exitCodes.usage);
    const badFilter = showConditionsProblem(opts.showConditions ?? '');
    if (badFilter) throw new CliFailure(badFilter, exitCodes.usage);
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
      echo: opts.echo === true,
      ...(opts.showConditions ? { showConditions: opts.showConditions } : {}),
    });
    if (opts.output === 'json') process.stdout.write(`${JSON.stringify(tree, null, 2)}\n`);
    else if (opts.output === 'yaml') process.stdout.write(stringify(tree));
    else process.stdout.write(renderTree(tree, painter()));
    return warnProblems([], res.partial);
  });
}
