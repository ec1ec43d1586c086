import { buildApp, type ResolvedManagementCluster } from '../app.ts';
import { loadGatewayConfig } from '../config/load-config.ts';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../embedded/cluster.ts';
import { embeddedClusterOptions, printEmbedded } from './embedded.ts';
import type { ServeCliOptions } from './options.ts';
import { onShutdown } from './shutdown.ts';
import { orExit } from './startup-failure.ts';

export async function runServe(opts: ServeCliOptions): Promise<void> {
  const loaded = await loadGatewayConfig(opts.config);
  if (!loaded.ok) {
    process.stderr.write(`invalid config${opts.config ? ` ${opts.config}` : ''}: ${loaded.error}\n`);
    process.exit(2);
  }
  let embedded: EmbeddedCluster | undefined;
  const managementClusters: ResolvedManagementCluster[] = [];
  for (const mc of loaded.config.managementClusters) {
    if ('embedded' in mc) {
      embedded = await orExit('cannot start the embedded management cluster', () =>
        startEmbeddedCluster(embeddedClusterOptions(opts, opts.apiPort)),
      );
      printEmbedded(embedded);
      managementClusters.push({ name: mc.name, kubeconfigPath: embedded.kubeconfigPath });
    } else {
      managementClusters.push({ name: mc.name, kubeconfigPath: mc.kubeconfig, context: mc.context });
    }
  }
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp({
      host: opts.host,
      port: opts.port,
      managementClusters,
      ...(loaded.config.provisioning ? { provisioning: loaded.config.provisioning } : {}),
    });
    await app.start();
  } catch (err) {
    process.stderr.write(`cannot start the gateway: ${(err as Error).message}\n`);
    await embedded?.stop();
    process.exit(2);
  }
  process.stdout.write(`GraphQL: ${app.url} (GraphiQL in a browser)\n`);
  onShutdown(async () => {
    await app.stop();
    await embedded?.stop();
  });
}
