import type { Command } from 'commander';
import { buildApp, type App, type ResolvedManagementCluster } from '../app.ts';
import { checkKubeconfigs } from '../config/check-kubeconfigs.ts';
import { loadGatewayConfig } from '../config/load-config.ts';
import type { EmbeddedCluster } from '../../embedded/cluster.ts';
import { dataDirFor } from './data-dir.ts';
import { embeddedClusterOptions, printEmbedded, startEmbedded } from './embedded.ts';
import { isLoopback } from './loopback.ts';

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';
import type { ServeCliOptions } from './options.ts';
import { inUse, portProblem } from './port-check.ts';
import { onShutdown } from './shutdown.ts';
import { describeExpectedFailure, exitIf } from './startup-failure.ts';

/** The config file, read and checked (kubeconfigs and contexts included), or exit 2. */
async function loadConfig(opts: ServeCliOptions) {
  const loaded = await loadGatewayConfig(opts.config);
  const problem = loaded.ok ? checkKubeconfigs(loaded.config) : loaded.error;
  if (problem !== undefined || !loaded.ok) {
    process.stderr.write(`invalid config${opts.config ? ` ${opts.config}` : ''}: ${problem}\n`);
    process.exit(2);
  }
  return loaded.config;
}

export async function runServe(opts: ServeCliOptions, cmd: Command): Promise<void> {
  const config = await loadConfig(opts);
  const wantsEmbedded = config.managementClusters.some((mc) => 'embedded' in mc);
  // Nothing is started or written until every port is known to be free.
  exitIf('cannot start the gateway', await portProblem(opts.host, opts.port, '--port'));
  if (wantsEmbedded)
    exitIf(
      'cannot start the embedded management cluster',
      await portProblem(opts.host, opts.apiPort, '--api-port'),
    );
  const dataDir = wantsEmbedded ? await dataDirFor(opts, cmd) : undefined;
  let embedded: EmbeddedCluster | undefined;
  const managementClusters: ResolvedManagementCluster[] = [];
  for (const mc of config.managementClusters) {
    if ('embedded' in mc) {
      embedded = await startEmbedded(
        'cannot start the embedded management cluster',
        embeddedClusterOptions(opts, opts.apiPort, dataDir!.path),
        dataDir!,
      );
      printEmbedded(embedded, opts, dataDir!);
      managementClusters.push({ name: mc.name, kubeconfigPath: embedded.kubeconfigPath });
    } else {
      managementClusters.push({ name: mc.name, kubeconfigPath: mc.kubeconfig, context: mc.context });
    }
  }
  let app: App;
  try {
    app = await buildApp({
      host: opts.host,
      port: opts.port,
      managementClusters,
      ...(config.provisioning ? { provisioning: config.provisioning } : {}),
    });
    await app.start();
  } catch (err) {
    // A port taken between the check and the listen.
    const reason =
      (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? inUse(opts.host, opts.port, '--port')
        : describeExpectedFailure(err);
    process.stderr.write(`capi-gateway: cannot start the gateway: ${reason ?? (err as Error).message}\n`);
    await embedded?.stop();
    await dataDir?.cleanUp();
    process.exit(2);
  }
  if (!isLoopback(opts.host))
    process.stderr.write(
      `capi-gateway: warning: GraphQL listens on ${opts.host}, reachable from other machines, and has no ` +
        `authentication yet: anyone who reaches it can read the fleet (--host 127.0.0.1 keeps it local)\n`,
    );
  // A wildcard address is where the server listens, not one to open: print loopback, as the
  // embedded cluster's kubeconfig does.
  const url = isWildcard(opts.host)
    ? app.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1')
    : app.url;
  const everywhere = isWildcard(opts.host) ? ', listening on every address' : '';
  process.stdout.write(`GraphQL: ${url} (GraphiQL in a browser; /healthz, /readyz${everywhere})\n`);
  process.stdout.write(`Dashboard: ${new URL('/', url).toString()}\n`);
  onShutdown(async () => {
    await app.stop();
    await embedded?.stop();
    await dataDir?.cleanUp();
  });
}
