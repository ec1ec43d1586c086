import type { Command } from 'commander';
import { buildApp, type App, type ResolvedManagementCluster } from '../app.ts';
import { checkKubeconfigs } from '../config/check-kubeconfigs.ts';
import { loadGatewayConfig } from '../config/load-config.ts';
import type { AuthConfig } from '../config/gateway-config.ts';
import { authConfigured, buildAuthenticator } from '../auth/authenticator.ts';
import type { GatewayAuthOptions } from '../auth/gateway-auth.ts';
import type { EmbeddedCluster } from '../../embedded/cluster.ts';
import { dataDirFor } from './data-dir.ts';
import { embeddedClusterOptions, printEmbedded, startEmbedded } from './embedded.ts';
import { isLoopback } from './loopback.ts';
import { createGatewayLogger } from '../observability/logger.ts';
import { serveLimits } from './serve-limits.ts';

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

/**
 * The authentication the config asks for (its token file read now), or none — which only a
 * loopback address may have: anyone who reaches the port could read and change the fleet.
 * Either problem exits 2 before anything starts.
 */
async function loadAuth(
  opts: ServeCliOptions,
  auth: AuthConfig | undefined,
): Promise<GatewayAuthOptions | undefined> {
  if (!authConfigured(auth)) {
    if (isLoopback(opts.host)) return undefined;
    process.stderr.write(
      `capi-gateway: refusing to serve GraphQL on ${opts.host || 'every address'} without authentication: ` +
        `anyone who reaches it could read and change the fleet. Configure \`auth\` (tokenFile or oidc) ` +
        `in --config, or listen on loopback (--host 127.0.0.1)\n`,
    );
    process.exit(2);
  }
  const built = await buildAuthenticator(auth!);
  if (!built.ok) {
    process.stderr.write(`invalid config${opts.config ? ` ${opts.config}` : ''}: ${built.error}\n`);
    process.exit(2);
  }
  return {
    authenticate: built.authenticate,
    ...(auth!.accessReviewTtlSeconds !== undefined
      ? { accessReviewTtlMs: auth!.accessReviewTtlSeconds * 1000 }
      : {}),
  };
}

export async function runServe(opts: ServeCliOptions, cmd: Command): Promise<void> {
  const config = await loadConfig(opts);
  const auth = await loadAuth(opts, config.auth);
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
      ...(auth ? { auth } : {}),
      limits: serveLimits(config, opts),
      logger: createGatewayLogger({ level: opts.logLevel ?? config.logLevel ?? 'info' }),
      processMetrics: true,
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
  if (auth)
    process.stderr.write(
      `capi-gateway: GraphQL requires a bearer token; reads and writes follow each management cluster's RBAC for its user\n`,
    );
  // A wildcard address is where the server listens, not one to open: print loopback, as the
  // embedded cluster's kubeconfig does.
  const url = isWildcard(opts.host)
    ? app.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1')
    : app.url;
  const everywhere = isWildcard(opts.host) ? ', listening on every address' : '';
  process.stdout.write(`GraphQL: ${url} (GraphiQL in a browser; /healthz, /readyz, /metrics${everywhere})\n`);
  process.stdout.write(`Dashboard: ${new URL('/', url).toString()}\n`);
  onShutdown(async () => {
    await app.stop();
    await embedded?.stop();
    await dataDir?.cleanUp();
  });
}
