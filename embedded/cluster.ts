/**
 * The embedded management cluster: the Kubernetes-compatible API server plus (issue 3) the
 * simulated CAPI controllers and the demo fleet. Reached by everything else over HTTPS.
 */
import type { AdmissionChain, KubeObject } from './apiserver/admission.ts';
import { readSeedFile, SeedFileError } from './apiserver/seed-file.ts';
import type { SeedResult } from './apiserver/seed-objects.ts';
import { kubeconfigFile, startApiServer } from './apiserver/server.ts';
import { capiAdmissionPlugins } from './controllers/admission/capi-admission-plugins.ts';
import { startEngine } from './controllers/engine.ts';
import type { EngineLogger } from './controllers/reconcile-errors.ts';
import { capiConverters } from './conversion/capi-converters.ts';
import { capiReleaseFor, installClusterctlInventory } from './clusterctl-inventory.ts';
import { installDemo } from './demo/install-demo.ts';
import { rememberedPort } from './remembered-port.ts';

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
  /** Watch history length (events) before resourceVersions expire with 410; server default otherwise. */
  historySize?: number;
  /**
   * Users besides the kubeconfig's admin, in kube-apiserver's `--token-auth-file` format
   * (`token,user,uid,"group1,group2"` per line); RBAC decides what they may do.
   */
  tokenAuthFile?: string;
  /** Where the engine logs why it is stuck (default: JSON lines on stderr). */
  engineLogger?: EngineLogger;
  /**
   * Objects to load at start without HTTP (NDJSON or YAML, see apiserver/seed-file.ts), written
   * through the API server's write pipeline into the store and its WAL before it listens.
   */
  seedFile?: string;
  /** Objects to load at start, as `seedFile` (in-process callers: benchmarks, tests). */
  seedObjects?: KubeObject[];
}

export interface EmbeddedCluster {
  /** https://HOST:PORT */
  url: string;
  kubeconfigPath: string;
  /** What a user should know about this start (e.g. the previous port was taken). */
  notices: string[];
  /**
   * The API server's in-process admission chain (the engine's CAPI webhooks are in it): a plugin
   * added here sees every write as the server admits it, who made it included (userInfo).
   */
  admission: AdmissionChain;
  stop(): Promise<void>;
}

/** What a legacy cluster is and is not, said at start so nobody waits for a phase that never comes. */
const legacyNotice =
  'this is a legacy management cluster (--capi-api v1beta1): it serves the CAPI kinds at v1beta1 only, ' +
  'as CAPI ≤ v1.10 does, for reading objects you apply; it runs no provisioning engine (an applied ' +
  'Cluster keeps no phase) and has no demo fleet';

function portNotices(previous: number | undefined, url: string): string[] {
  const port = Number(new URL(url).port);
  if (previous === undefined || previous === port) return [];
  return [`port ${previous} of the previous run is in use; now on port ${port} (kubeconfig rewritten)`];
}

function seedNotices(result: SeedResult): string[] {
  const first = result.rejected
    .slice(0, 3)
    .map((r) => `${r.object}: ${r.message}`)
    .join('; ');
  return [
    `seeded ${result.objects} objects (${result.writes} writes)` +
      (result.rejected.length ? `; ${result.rejected.length} refused, e.g. ${first}` : ''),
  ];
}

async function seedObjectsOf(options: EmbeddedClusterOptions): Promise<KubeObject[] | undefined> {
  if (!options.seedFile) return options.seedObjects;
  const read = await readSeedFile(options.seedFile);
  if (!read.ok) throw new SeedFileError(read.message);
  return [...(options.seedObjects ?? []), ...read.objects];
}

export async function startEmbeddedCluster(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const seedObjects = await seedObjectsOf(options);
  const seeded: string[] = [];
  // Port 0 on a persistent data dir keeps the address clients were given last time, if free.
  const previousPort =
    options.port === 0 && !options.ephemeral
      ? await rememberedPort(kubeconfigFile(options.dataDir))
      : undefined;
  const server = await startApiServer({
    host: options.host,
    port: options.port,
    preferredPort: previousPort,
    dataDir: options.dataDir,
    ephemeral: options.ephemeral,
    capiApi: options.capiApi,
    // CAPI's conversion webhooks: v1beta1 is served next to the stored v1beta2.
    converters: capiConverters(),
    ...(options.historySize === undefined ? {} : { historySize: options.historySize }),
    ...(options.tokenAuthFile === undefined ? {} : { tokenAuthFile: options.tokenAuthFile }),
    ...(seedObjects ? { seedObjects, onSeeded: (r: SeedResult) => seeded.push(...seedNotices(r)) } : {}),
  });
  const notices = [...portNotices(previousPort, server.url), ...seeded];
  // What `clusterctl init` leaves behind, for the CAPI release this cluster stands for; a bare
  // API server (controllers off) has no providers installed.
  if (options.controllers !== false) {
    const inventory = await installClusterctlInventory(
      server.kubeconfigPath,
      capiReleaseFor[options.capiApi],
    );
    if (!inventory.ok)
      console.warn(`capi-gateway: the clusterctl Provider objects were not created: ${inventory.message}`);
  }
  // The simulated engine talks to the server over HTTPS with the written kubeconfig, like any
  // controller; CAPI's webhook rules join the admission chain, reading the engine's caches.
  // The engine speaks CAPI v1beta2 (what v1.14 stores); a legacy v1beta1 server runs without it.
  if (options.controllers === false || options.capiApi === 'v1beta1') {
    if (options.capiApi === 'v1beta1') notices.push(legacyNotice);
    return {
      url: server.url,
      kubeconfigPath: server.kubeconfigPath,
      notices,
      admission: server.admission,
      stop: () => server.stop(),
    };
  }
  const engine = startEngine({
    kubeconfigPath: server.kubeconfigPath,
    speed: options.speed,
    faults: options.faults,
    ...(options.engineLogger ? { logger: options.engineLogger } : {}),
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
    notices,
    admission: server.admission,
    stop: async () => {
      await engine.stop();
      await server.stop();
    },
  };
}
