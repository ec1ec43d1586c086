/**
 * The embedded management cluster: the Kubernetes-compatible API server plus (issue 3) the
 * simulated CAPI controllers and the demo fleet. Reached by everything else over HTTPS.
 */
import { startApiServer } from './apiserver/server.ts';
import { capiAdmissionPlugins } from './controllers/admission/capi-admission-plugins.ts';
import { startEngine } from './controllers/engine.ts';
import { installDemo } from './demo/install-demo.ts';

export interface FaultOptions {
  /** Fraction (0-1) of machines whose infrastructure provisioning fails. */
  machineFailureRate: number;
  /** Fraction (0-1) of nodes that go NotReady after becoming Ready. */
  nodeNotReadyRate: number;
}

export interface EmbeddedClusterOptions {
  host: string;
  /** 0 = pick a free port. */
  port: number;
  dataDir: string;
  ephemeral: boolean;
  demo: boolean;
  /** Time scale of the simulated engine: 20 = twenty times faster. */
  speed: number;
  capiApi: 'v1beta2' | 'v1beta1';
  faults: FaultOptions;
  /** Start the simulated controllers (tests of the bare API server turn this off). */
  controllers?: boolean;
}

export interface EmbeddedCluster {
  /** https://HOST:PORT */
  url: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export async function startEmbeddedCluster(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const server = await startApiServer({
    host: options.host,
    port: options.port,
    dataDir: options.dataDir,
    ephemeral: options.ephemeral,
    capiApi: options.capiApi,
  });
  // Issue 3 — the simulated engine starts here: register CAPI's webhook rules into
  // `server.admission`, then (when `options.controllers !== false`) start the controllers
  // against `server.url` with `server.caPem` / `server.token`, and the demo fleet when
  // `options.demo`. Stop them before the server in `stop` below.
  if (options.controllers === false) {
    return { url: server.url, kubeconfigPath: server.kubeconfigPath, stop: () => server.stop() };
  }
  const engine = startEngine({
    kubeconfigPath: server.kubeconfigPath,
    speed: options.speed,
    faults: options.faults,
  });
  const webhooks = capiAdmissionPlugins(engine.admissionLookup);
  server.admission.mutating.push(...webhooks.mutating);
  server.admission.validating.push(...webhooks.validating);
  await engine.ready;
  if (options.demo) {
    const demo = await installDemo(server.kubeconfigPath);
    if (!demo.ok) console.warn(`capi-gateway: the demo fleet was not installed: ${demo.message}`);
  }
  return {
    url: server.url,
    kubeconfigPath: server.kubeconfigPath,
    stop: async () => {
      await engine.stop();
      await server.stop();
    },
  };
}
