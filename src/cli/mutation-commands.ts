/**
 * The commands that change the fleet (create, scale, upgrade, upgrade-fleet, pause, resume,
 * rollout restart, delete, cancel) and `operations`. Each loads its runner only when it runs.
 */
import type { Command } from 'commander';
import { collect, count, gatewayOptions, outputOption, scopeOptions } from './client-options.ts';

const day2 = () => import('./commands/day2.ts');

/** --wait, -o and the gateway/scope flags every mutation takes. */
function mutation(cmd: Command, help: string): Command {
  return outputOption(
    scopeOptions(gatewayOptions(cmd.showHelpAfterError(`See 'capi-gateway ${help} --help' for usage.`))),
  ).option('--wait', 'follow the operation to its end, drawing its steps; exit 9 if it fails', false);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- commander hands actions untyped options */
export function addMutationCommands(program: Command): void {
  mutation(
    program
      .command('create')
      .description('create a cluster from a ClusterClass or a clusterctl template')
      .argument('<kind>', 'cluster')
      .argument('[name]', "the new cluster's name"),
    'create',
  )
    .option('--from-template <file>', 'a clusterctl template (multi-document YAML with ${VARIABLES})')
    .option('--var <key=value>', 'a template or ClusterClass variable (repeatable)', collect)
    .option('--list-variables', "list the template's variables and their defaults", false)
    .option('--class <name>', 'the ClusterClass')
    .option('--class-namespace <ns>', "the ClusterClass's namespace (default: the cluster's)")
    .option('--version <version>', 'Kubernetes version, e.g. v1.33.1 (with --class)')
    .option('--control-plane <n>', 'control-plane replicas (with --class)', count)
    .option('--workers <pool=class:n>', 'a worker pool, e.g. md-0=default-worker:2 (repeatable)', collect)
    .option('--dry-run', 'render and validate on the server; apply nothing', false)
    .action(async (kind: string, name: string | undefined, opts: any) =>
      (await import('./commands/create-cluster.ts')).runCreate(kind, name, opts),
    );

  mutation(
    program
      .command('scale')
      .description("set the replicas of a cluster's control plane, a MachineDeployment or a MachinePool")
      .argument('<kind>', 'controlplane (NAME: the cluster) | machinedeployment | machinepool')
      .argument('<name>', 'the cluster (controlplane), or the pool: its name or topology name'),
    'scale',
  )
    .requiredOption('--replicas <n>', 'the new size', count)
    .option('--cluster <name>', "the pool's cluster (needed for a topology pool name or a machinepool)")
    .action(async (kind: string, name: string, opts: any) => (await day2()).runScale(kind, name, opts));

  mutation(
    program
      .command('upgrade')
      .description('upgrade a cluster to a Kubernetes version (--plan: show the steps, change nothing)')
      .argument('<cluster>', "the cluster's name"),
    'upgrade',
  )
    .requiredOption('--version <version>', 'the target version, e.g. v1.33.2')
    .option('--plan', 'print the upgrade plan and what blocks it; change nothing', false)
    .option(
      '--intermediate-version <version>',
      'a version to pass through (plain clusters; repeatable)',
      collect,
    )
    .action(async (cluster: string, opts: any) =>
      (await day2()).runUpgrade(cluster, {
        ...opts,
        ...(opts.intermediateVersion ? { intermediateVersions: opts.intermediateVersion } : {}),
      }),
    );

  mutation(
    program
      .command('upgrade-fleet')
      .description('upgrade every selected cluster in waves: canaries first, then N at a time'),
    'upgrade-fleet',
  )
    .option('-l, --selector <selector>', 'label selector of the clusters, e.g. env=prod')
    .requiredOption('--version <version>', 'the target version')
    .option('--canary <cluster>', 'a cluster upgraded first, in a wave of its own (repeatable)', collect)
    .requiredOption('--max-concurrency <n>', 'at most this many clusters per wave', count)
    .option('--soak-seconds <n>', 'the wait between waves', count)
    .action(async (opts: any) => (await day2()).runUpgradeFleet(opts));

  for (const verb of ['pause', 'resume'] as const)
    mutation(
      program
        .command(verb)
        .description(
          verb === 'pause' ? 'pause reconciliation of a cluster' : 'resume reconciliation of a cluster',
        )
        .argument('<cluster>', "the cluster's name"),
      verb,
    ).action(async (cluster: string, opts: any) => (await day2()).runClusterMutation(verb, cluster, opts));

  mutation(
    program
      .command('rollout')
      .description('replace every machine of a control plane or a MachineDeployment')
      .argument('<action>', 'restart')
      .argument('<kind>', 'controlplane (NAME: the cluster) | machinedeployment')
      .argument('<name>', 'the cluster (controlplane) or the MachineDeployment'),
    'rollout',
  )
    .option('--cluster <name>', "the MachineDeployment's cluster (needed for a topology pool name)")
    .action(async (action: string, kind: string, name: string, opts: any) =>
      (await day2()).runRollout(action, kind, name, opts),
    );

  mutation(
    program
      .command('delete')
      .description('delete a cluster, or a machine (its owner replaces it)')
      .argument('<kind>', 'cluster | machine')
      .argument('<name>', 'its name'),
    'delete',
  )
    .option('--cluster <name>', "the machine's cluster")
    .action(async (kind: string, name: string, opts: any) => (await day2()).runDelete(kind, name, opts));

  mutation(
    program
      .command('cancel')
      .description('stop an operation at its next step boundary')
      .argument('<operation>', 'its name or ID (get operations -o wide)'),
    'cancel',
  ).action(async (ref: string, opts: any) => (await day2()).runCancel(ref, opts));

  outputOption(
    scopeOptions(
      gatewayOptions(
        program
          .command('operations')
          .description('the operation history; with an operation and --watch, follow it')
          .argument('[operation]', 'its name or ID')
          .showHelpAfterError("See 'capi-gateway operations --help' for usage."),
      ),
    ),
  )
    .option('-w, --watch', 'follow the operation to its end, drawing its steps', false)
    .action(async (ref: string | undefined, opts: any) => (await day2()).runOperations(ref, opts));
}
