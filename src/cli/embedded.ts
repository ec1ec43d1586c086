import { startEmbeddedCluster, type EmbeddedCluster } from '../../embedded/cluster.ts';
import type { EmbeddedCliOptions } from './options.ts';
import { onShutdown } from './shutdown.ts';
import { orExit } from './startup-failure.ts';

export function embeddedClusterOptions(opts: EmbeddedCliOptions, port: number) {
  return {
    host: opts.host,
    port,
    dataDir: opts.dataDir,
    ephemeral: opts.ephemeral,
    demo: opts.demo,
    speed: opts.speed,
    capiApi: opts.capiApi,
    faults: { machineFailureRate: opts.failMachines, nodeNotReadyRate: opts.unhealthyNodes },
  };
}

export function printEmbedded(cluster: EmbeddedCluster): void {
  process.stdout.write(
    `embedded management cluster: ${cluster.url}\n` +
      `kubeconfig: ${cluster.kubeconfigPath}\n` +
      `  try: kubectl --kubeconfig ${cluster.kubeconfigPath} get clusters -A\n` +
      cluster.notices.map((notice) => `note: ${notice}\n`).join(''),
  );
}

export async function runEmbedded(opts: EmbeddedCliOptions): Promise<void> {
  const cluster = await orExit('cannot start the embedded management cluster', () =>
    startEmbeddedCluster(embeddedClusterOptions(opts, opts.port)),
  );
  printEmbedded(cluster);
  onShutdown(() => cluster.stop());
}
