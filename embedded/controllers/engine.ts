/**
 * The simulated provisioning engine: shared informers, one work queue, the controllers, and the
 * event routing (`event-routing.ts`) that maps a change of one object to the objects whose
 * reconcile depends on it.
 */
import type { CapiAdmissionLookup } from './admission/capi-admission-plugins.ts';
import type { TopologyUpgradeState } from './admission/cluster-webhook.ts';
import { reconcileBootstrapConfig } from './bootstrap-controller.ts';
import { waitForCacheSync } from './cache-sync.ts';
import { type Clock, systemClock } from './clock.ts';
import { reconcileClusterClass } from './cluster-class-controller.ts';
import { reconcileCluster } from './cluster-controller.ts';
import { isConditionTrue } from './conditions.ts';
import { type EngineContext, type EngineFaults, type ObjectRole } from './engine-context.ts';
import { EventRouter } from './event-routing.ts';
import { reconcileInfraCluster } from './infra-cluster-controller.ts';
import { reconcileInfraMachine } from './infra-machine-controller.ts';
import { KubeClient } from './kube-client.ts';
import { reconcileKubeadmControlPlane } from './kubeadm-control-plane-controller.ts';
import { LABELS } from './labels.ts';
import { reconcileMachineDeployment } from './machine-deployment-controller.ts';
import { reconcileMachineHealthCheck } from './machine-health-check-controller.ts';
import { reconcileMachineSet } from './machine-set-controller.ts';
import { reconcileMachine } from './machine-controller.ts';
import { MACHINE_POOL_TYPE, reconcileMachinePool } from './machine-pool-controller.ts';
import { MissingBackoff } from './missing-backoff.ts';
import { ObjectCache } from './object-cache.ts';
import { stringField } from './object-fields.ts';
import { type EngineLogger, ReconcileErrors, defaultEngineLogger } from './reconcile-errors.ts';
import { TYPES } from './resource-types.ts';
import { type ReconcileResult, WorkQueue } from './work-queue.ts';

export interface EngineOptions {
  kubeconfigPath: string;
  /** 20 = every simulated duration twenty times shorter. */
  speed: number;
  faults?: Partial<EngineFaults>;
  clock?: Clock;
  /** Concurrent reconciles (default 4). */
  workers?: number;
  /** Where the engine logs (default: pino JSON lines on stderr). */
  logger?: EngineLogger;
}

export interface Engine {
  /** Resolves once every cache has listed and the controllers run. */
  ready: Promise<void>;
  /** Read access for the admission plugins (served from the engine's caches). */
  admissionLookup: CapiAdmissionLookup;
  stop(): Promise<void>;
}

type Handler = (ctx: EngineContext, namespace: string, name: string) => Promise<ReconcileResult>;

const HANDLERS: Record<string, Handler> = {
  cluster: reconcileCluster,
  clusterclass: reconcileClusterClass,
  kcp: reconcileKubeadmControlPlane,
  md: reconcileMachineDeployment,
  ms: reconcileMachineSet,
  machine: reconcileMachine,
  mp: reconcileMachinePool,
  mhc: reconcileMachineHealthCheck,
};

const CONTROLLER_KINDS: Record<string, string> = {
  cluster: 'Cluster',
  clusterclass: 'ClusterClass',
  kcp: 'KubeadmControlPlane',
  md: 'MachineDeployment',
  ms: 'MachineSet',
  machine: 'Machine',
  mp: 'MachinePool',
  mhc: 'MachineHealthCheck',
};

/** `ms` → MachineSet; `infraMachine:infrastructure.cluster.x-k8s.io/DockerMachine` → DockerMachine. */
function kindOfController(controller: string): string {
  return CONTROLLER_KINDS[controller] ?? controller.slice(controller.lastIndexOf('/') + 1);
}

const ROLE_HANDLERS: Record<ObjectRole, typeof reconcileInfraMachine> = {
  infraMachine: reconcileInfraMachine,
  infraCluster: reconcileInfraCluster,
  bootstrap: reconcileBootstrapConfig,
};

/** What the engine's functions share: the cache, the roles of provider kinds, the log. */
interface EngineParts {
  options: EngineOptions;
  cache: ObjectCache;
  client: KubeClient;
  logger: EngineLogger;
  errors: ReconcileErrors;
  /** `group/Kind` → the role objects of that kind are simulated in. */
  roles: Map<string, ObjectRole>;
  isStopped(): boolean;
}

/** The controllers' view of the engine; `queue` and `router` are bound once created. */
function createContext(parts: EngineParts, queue: () => WorkQueue, router: () => EventRouter): EngineContext {
  const { options, client, cache, logger, errors, roles } = parts;
  const clock = options.clock ?? systemClock;
  const speed = options.speed > 0 ? options.speed : 1;
  const timers = new Map<string, Map<string, number>>();
  return {
    client,
    cache,
    clock,
    speed,
    faults: {
      machineFailureRate: options.faults?.machineFailureRate ?? 0,
      nodeNotReadyRate: options.faults?.nodeNotReadyRate ?? 0,
    },
    log: (message, fields) => logger.debug(fields ?? {}, message),
    // Requests cut off by stop() are not why anything is stuck.
    reportFailure: (cause) => void (parts.isStopped() || errors.fail(cause)),
    scaled: (seconds) => (seconds * 1000) / speed,
    startedAt(uid, step, since) {
      let steps = timers.get(uid);
      if (!steps) timers.set(uid, (steps = new Map()));
      let started = steps.get(step);
      if (started === undefined) {
        // A timestamp persisted on the object outlives a restart; "now" is for steps just begun.
        const persisted = Date.parse(since ?? '');
        started = Number.isNaN(persisted) ? clock.now() : Math.min(persisted, clock.now());
        steps.set(step, started);
      }
      return started;
    },
    forgetTimers: (uid) => void timers.delete(uid),
    missing: new MissingBackoff(),
    watchRole(role, apiGroup, kind) {
      const key = `${apiGroup}/${kind}`;
      const informer = cache.informerForKind(apiGroup, kind);
      if (roles.get(key) === role) return;
      roles.set(key, role);
      if (informer) for (const object of informer.all()) router().enqueueRole(role, informer.type, object);
    },
    enqueue(controller, namespace, name, afterMs) {
      const key = `${controller}|${namespace ?? ''}/${name}`;
      if (afterMs) queue().addAfter(key, afterMs);
      else queue().add(key);
    },
  };
}

/** Runs the controller a queue key names (`md|ns/name`, `infraMachine:group/Kind|ns/name`). */
async function runController(ctx: EngineContext, controller: string, namespace: string, name: string) {
  const colon = controller.indexOf(':');
  if (colon === -1) return HANDLERS[controller]?.(ctx, namespace, name);
  const role = controller.slice(0, colon) as ObjectRole;
  const [group = '', kind = ''] = controller.slice(colon + 1).split('/');
  const resolved = ctx.cache.resolve(group, kind);
  return resolved ? ROLE_HANDLERS[role](ctx, resolved, namespace, name) : { requeueAfterMs: 1_000 };
}

/** One reconcile of a queue key, in its error scope (a failure that repeats is logged once). */
function reconcileKey(ctx: EngineContext, errors: ReconcileErrors) {
  return async (key: string): Promise<ReconcileResult> => {
    const bar = key.indexOf('|');
    const controller = key.slice(0, bar);
    const [namespace = '', name = ''] = key.slice(bar + 1).split('/');
    const object = { controller, kind: kindOfController(controller), namespace, name };
    return errors.run(key, object, async () => {
      try {
        return await runController(ctx, controller, namespace, name);
      } catch (error) {
        // Inside the scope, so a failure that repeats every retry is logged once.
        errors.fail({
          operation: 'reconcile',
          answer: error instanceof Error ? error.message : String(error),
        });
        ctx.log('reconcile exception', { key, stack: error instanceof Error ? error.stack : String(error) });
        throw error;
      }
    });
  };
}

const CORE_TYPES = [
  TYPES.cluster,
  TYPES.clusterClass,
  TYPES.kubeadmControlPlane,
  TYPES.machineDeployment,
  TYPES.machineSet,
  TYPES.machine,
  TYPES.machineHealthCheck,
  TYPES.kubeadmConfig,
  MACHINE_POOL_TYPE,
];

/** Read access for the admission plugins, served from the engine's caches. */
function admissionLookupOf(cache: ObjectCache): CapiAdmissionLookup {
  return {
    getClusterClass: (namespace, name) => cache.informer(TYPES.clusterClass).get(namespace, name),
    getKubeadmControlPlane: (namespace, name) =>
      cache.informer(TYPES.kubeadmControlPlane).get(namespace, name),
    getTopologyUpgradeState(namespace, clusterName): TopologyUpgradeState {
      const cluster = cache.informer(TYPES.cluster).get(namespace, clusterName);
      const version = stringField(cluster, 'spec.topology.version');
      const cpName = stringField(cluster, 'spec.controlPlaneRef.name');
      const kcp = cpName ? cache.informer(TYPES.kubeadmControlPlane).get(namespace, cpName) : undefined;
      const mds = cache
        .informer(TYPES.machineDeployment)
        .byCluster(namespace, clusterName)
        .filter((md) => md.metadata.labels?.[LABELS.topologyOwned] !== undefined);
      return {
        controlPlaneVersion: stringField(kcp, 'status.version'),
        machineDeploymentsUpgrading: mds.some(
          (md) =>
            stringField(md, 'spec.template.spec.version') !== version ||
            isConditionTrue(md.status, 'RollingOut'),
        ),
      };
    },
  };
}

export function startEngine(options: EngineOptions): Engine {
  const client = new KubeClient(options.kubeconfigPath);
  const logger = options.logger ?? defaultEngineLogger();
  let stopped = false;
  const parts: EngineParts = {
    options,
    client,
    cache: new ObjectCache(client),
    logger,
    errors: new ReconcileErrors(logger),
    roles: new Map([[`${TYPES.kubeadmConfig.group}/${TYPES.kubeadmConfig.kind}`, 'bootstrap']]),
    isStopped: () => stopped,
  };
  const { cache } = parts;
  const ctx = createContext(
    parts,
    () => queue,
    () => router,
  );
  const queue = new WorkQueue(reconcileKey(ctx, parts.errors), options.workers ?? 4, () => {});
  const router = new EventRouter(ctx, cache, parts.roles);

  cache.onInformer((informer) =>
    informer.onEvent((event, object) => router.route(informer.type, event, object)),
  );
  const informers = [cache.crds, ...CORE_TYPES.map((type) => cache.informer(type))];

  // Events queue up from the first list on; workers start once every cache a reconcile reads is full.
  const ready = waitForCacheSync(cache, informers, (role, apiGroup, kind) =>
    ctx.watchRole(role, apiGroup, kind),
  ).then((unsynced) => {
    if (unsynced.length > 0) logger.warn({ kinds: unsynced }, 'starting before these caches listed');
    queue.start();
  });

  return {
    ready,
    admissionLookup: admissionLookupOf(cache),
    async stop() {
      stopped = true;
      queue.stop();
      cache.stop();
    },
  };
}
