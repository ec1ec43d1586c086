import type { Command } from 'commander';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../embedded/cluster.ts';
import { dataDirFor, type DataDir } from './data-dir.ts';
import type { EmbeddedCliOptions } from './options.ts';
import { portProblem } from './port-check.ts';
import { onShutdown } from './shutdown.ts';
import { exitIf, orExit } from './startup-failure.ts';

export function embeddedClusterOptions(opts: EmbeddedCliOptions, port: number, dataDir: string) {
  return {
    host: opts.host,
    port,
    dataDir,
    ephemeral: opts.ephemeral,
    demo: opts.demo,
    speed: opts.speed,
    capiApi: opts.capiApi,
    faults: { machineFailureRate: opts.failMachines, nodeNotReadyRate: opts.unhealthyNodes },
    ...(opts.tokenAuthFile === undefined ? {} : { tokenAuthFile: opts.tokenAuthFile }),
    ...(opts.seed === undefined ? {} : { seedFile: opts.seed }),
  };
}

/** A command that works against this cluster: a legacy one has no demo fleet to list. */
function suggestion(opts: EmbeddedCliOptions, kubeconfigPath: string): string {
  return opts.capiApi === 'v1beta1'
    ? `kubectl --kubeconfig ${kubeconfigPath} api-resources --api-group cluster.x-k8s.io`
    : `kubectl --kubeconfig ${kubeconfigPath} get clusters -A`;
}

export function printEmbedded(cluster: EmbeddedCluster, opts: EmbeddedCliOptions, dataDir: DataDir): void {
  process.stdout.write(
    `embedded management cluster: ${cluster.url}\n` +
      `kubeconfig: ${cluster.kubeconfigPath}\n` +
      `data dir: ${dataDir.description}\n` +
      `  try: ${suggestion(opts, cluster.kubeconfigPath)}\n` +
      cluster.notices.map((notice) => `note: ${notice}\n`).join(''),
  );
}

/** Starts the embedded cluster, or exits 2 with one line (removing a temp data dir). */
export function startEmbedded(
  what: string,
  options: ReturnType<typeof embeddedClusterOptions>,
  dataDir: DataDir,
): Promise<EmbeddedCluster> {
  return orExit(what, async () => {
    try {
      return await startEmbeddedCluster(options);
    } catch (error) {
      await dataDir.cleanUp();
      throw error;
    }
  });
}

export async function runEmbedded(opts: EmbeddedCliOptions & { port: number }, cmd: Command): Promise<void> {
  const what = 'cannot start the embedded management cluster';
  exitIf(what, await portProblem(opts.host, opts.port));
  const dataDir = await dataDirFor(opts, cmd);
  const cluster = await startEmbedded(what, embeddedClusterOptions(opts, opts.port, dataDir.path), dataDir);
  printEmbedded(cluster, opts, dataDir);
  onShutdown(async () => {
    await cluster.stop();
    await dataDir.cleanUp();
  });
}
