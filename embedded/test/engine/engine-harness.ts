/**
 * Test harness for the simulated engine: an embedded cluster with controllers at a given speed
 * (faults adjustable), the real CAPI CRDs applied so the server validates every write the engine
 * makes, kubectl, a client-node reader, and polling with deadlines.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../cluster.ts';
import type { EngineLogger } from '../../controllers/reconcile-errors.ts';
import { type KubectlResult, runKubectl } from '../../../test/support/embedded-cluster.ts';

export const SHARED_CAPI = fileURLToPath(new URL('../../../../shared/capi/', import.meta.url));
export const haveSharedCapi = existsSync(join(SHARED_CAPI, 'crds'));
export const SKIP_REASON = `../shared/capi is absent (${SHARED_CAPI}): the engine tests need the real CAPI CRDs and templates`;

export type Obj = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }>;
    deletionTimestamp?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

export interface Plural {
  group: string;
  version: string;
  plural: string;
}

export const R = {
  clusters: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'clusters' },
  machines: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machines' },
  machineSets: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machinesets' },
  machineDeployments: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machinedeployments' },
  machineHealthChecks: { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machinehealthchecks' },
  kcps: { group: 'controlplane.cluster.x-k8s.io', version: 'v1beta2', plural: 'kubeadmcontrolplanes' },
  kubeadmConfigs: { group: 'bootstrap.cluster.x-k8s.io', version: 'v1beta2', plural: 'kubeadmconfigs' },
  devClusters: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta2', plural: 'devclusters' },
  devMachines: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta2', plural: 'devmachines' },
  dockerClusters: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta2', plural: 'dockerclusters' },
  dockerMachines: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta2', plural: 'dockermachines' },
} as const satisfies Record<string, Plural>;

export interface EngineHarness {
  cluster: EmbeddedCluster;
  kubectl(args: string[], stdin?: string): Promise<KubectlResult>;
  apply(yaml: string): Promise<void>;
  list(resource: Plural, namespace?: string): Promise<Obj[]>;
  get(resource: Plural, namespace: string, name: string): Promise<Obj | undefined>;
  patch(resource: Plural, namespace: string, name: string, patch: Record<string, unknown>): Promise<void>;
  secrets(
    namespace: string,
  ): Promise<
    Array<{ name: string; type?: string; labels: Record<string, string>; data: Record<string, string> }>
  >;
  stop(): Promise<void>;
}

export function readTemplate(name: string): string {
  return readFileSync(join(SHARED_CAPI, 'templates', name), 'utf8');
}

export async function startEngineHarness(options: {
  speed: number;
  faults?: { machineFailureRate?: number; nodeNotReadyRate?: number };
  engineLogger?: EngineLogger;
}): Promise<EngineHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'capi-engine-test-'));
  const cluster = await startEmbeddedCluster({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    ephemeral: true,
    demo: false,
    speed: options.speed,
    capiApi: 'v1beta2',
    faults: {
      machineFailureRate: options.faults?.machineFailureRate ?? 0,
      nodeNotReadyRate: options.faults?.nodeNotReadyRate ?? 0,
    },
    controllers: true,
    ...(options.engineLogger ? { engineLogger: options.engineLogger } : {}),
  });
  const kubectl = (args: string[], stdin?: string): Promise<KubectlResult> =>
    runKubectl(cluster.kubeconfigPath, args, stdin);
  const crds = readdirSync(join(SHARED_CAPI, 'crds'))
    .map((file) => readFileSync(join(SHARED_CAPI, 'crds', file), 'utf8'))
    .join('\n---\n');
  const applied = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], crds);
  if (applied.code !== 0) throw new Error(`applying the real CRDs failed: ${applied.stderr}`);
  const config = new KubeConfig();
  config.loadFromFile(cluster.kubeconfigPath);
  const custom = config.makeApiClient(CustomObjectsApi);
  const core = config.makeApiClient(CoreV1Api);
  return {
    cluster,
    kubectl,
    async apply(yaml) {
      const result = await kubectl(['apply', '-f', '-'], yaml);
      if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
    },
    async list(resource, namespace = 'default') {
      const body = (await custom.listNamespacedCustomObject({ ...resource, namespace })) as { items: Obj[] };
      return body.items;
    },
    async get(resource, namespace, name) {
      try {
        return (await custom.getNamespacedCustomObject({ ...resource, namespace, name })) as Obj;
      } catch (error) {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
      }
    },
    async patch(resource, namespace, name, patch) {
      await custom.patchNamespacedCustomObject(
        { ...resource, namespace, name, body: patch },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    },
    async secrets(namespace) {
      const list = await core.listNamespacedSecret({ namespace });
      return list.items.map((s) => ({
        name: s.metadata?.name ?? '',
        type: s.type,
        labels: s.metadata?.labels ?? {},
        data: s.data ?? {},
      }));
    },
    async stop() {
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value (not undefined/false) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function conditionStatus(object: Obj | undefined, type: string): string | undefined {
  const conditions = (object?.status?.conditions ?? []) as Array<{ type: string; status: string }>;
  return conditions.find((c) => c.type === type)?.status;
}
