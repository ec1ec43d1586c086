/**
 * The simulated provisioning engine: shared informers, one work queue, the controllers, and the
 * event routing that maps a change of one object to the objects whose reconcile depends on it
 * (owner, cluster, health checks) — level-triggered, so any missed event is covered by the next.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import type { CapiAdmissionLookup } from './admission/capi-admission-plugins.ts';
import type { TopologyUpgradeState } from './admission/cluster-webhook.ts';
import { reconcileBootstrapConfig } from './bootstrap-controller.ts';
import { waitForCacheSync } from './cache-sync.ts';
import { type Clock, systemClock } from './clock.ts';
import { reconcileClusterClass } from './cluster-class-controller.ts';
import { reconcileCluster } from './cluster-controller.ts';
import { clusterNameOf } from './cluster-lookup.ts';
import { isConditionTrue } from './conditions.ts';
import { type EngineContext, type EngineFaults, type ObjectRole, controllerOwner } from './engine-context.ts';
import { reconcileInfraCluster } from './infra-cluster-controller.ts';
import { reconcileInfraMachine } from './infra-machine-controller.ts';
import type { InformerEvent } from './informer.ts';
import { KubeClient, type ResourceType } from './kube-client.ts';
import { reconcileKubeadmControlPlane } from './kubeadm-control-plane-controller.ts';
import { LABELS } from './labels.ts';
import { reconcileMachineDeployment } from './machine-deployment-controller.ts';
import { reconcileMachineHealthCheck } from './machine-health-check-controller.ts';
import { reconcileMachineSet } from './machine-set-controller.ts';
import { reconcileMachine } from './machine-controller.ts';
import { MACHINE_POOL_TYPE, reconcileMachinePool } from './machine-pool-controller.ts';
import { readObjectRef } from './machine-factory.ts';
import { ObjectCache, resolveFromCrd } from './object-cache.ts';
import { field, stringField } from './object-fields.ts';
import { type EngineLogger, ReconcileErrors, defaultEngineLogger } from './reconcile-errors.ts';
import { TYPES } from './resource-types.ts';
import { classKeyOf } from './topology-reconciler.ts';
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

export function startEngine(options: EngineOptions): Engine {
  const client = new KubeClient(options.kubeconfigPath);
  const cache = new ObjectCache(client);
  const clock = options.clock ?? systemClock;
  const speed = options.speed > 0 ? options.speed : 1;
  const logger = options.logger ?? defaultEngineLogger();
  const log = (message: string, fields?: Record<string, unknown>): void =>
    logger.debug(fields ?? {}, message);
  const errors = new ReconcileErrors(logger);
  let stopped = false;
  const timers = new Map<string, Map<string, number>>();
  const roles = new Map<string, ObjectRole>();

  const ctx: EngineContext = {
    client,
    cache,
    clock,
    speed,
    faults: {
      machineFailureRate: options.faults?.machineFailureRate ?? 0,
      nodeNotReadyRate: options.faults?.nodeNotReadyRate ?? 0,
    },
    log,
    // Requests cut off by stop() are not why anything is stuck.
    reportFailure: (cause) => void (stopped || errors.fail(cause)),
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
    watchRole(role, apiGroup, kind) {
      const key = `${apiGroup}/${kind}`;
      const informer = cache.informerForKind(apiGroup, kind);
      if (roles.get(key) === role) return;
      roles.set(key, role);
      if (informer) for (const object of informer.all()) enqueueRole(role, informer.type, object);
    },
    enqueue(controller, namespace, name, afterMs) {
      const key = `${controller}|${namespace ?? ''}/${name}`;
      if (afterMs) queue.addAfter(key, afterMs);
      else queue.add(key);
    },
  };

  const queue = new WorkQueue(
    async (key) => {
      const bar = key.indexOf('|');
      const controller = key.slice(0, bar);
      const [namespace = '', name = ''] = key.slice(bar + 1).split('/');
      const colon = controller.indexOf(':');
      const object = { controller, kind: kindOfController(controller), namespace, name };
      return errors.run(key, object, async () => {
        try {
          if (colon !== -1) {
            const role = controller.slice(0, colon) as ObjectRole;
            const [group = '', kind = ''] = controller.slice(colon + 1).split('/');
            const resolved = cache.resolve(group, kind);
            return resolved ? ROLE_HANDLERS[role](ctx, resolved, namespace, name) : { requeueAfterMs: 1_000 };
          }
          return await HANDLERS[controller]?.(ctx, namespace, name);
        } catch (error) {
          // Inside the scope, so a failure that repeats every retry is logged once.
          errors.fail({
            operation: 'reconcile',
            answer: error instanceof Error ? error.message : String(error),
          });
          log('reconcile exception', { key, stack: error instanceof Error ? error.stack : String(error) });
          throw error;
        }
      });
    },
    options.workers ?? 4,
    () => {},
  );

  const enqueueObject = (controller: string, object: KubeObject | undefined): void => {
    if (object?.metadata.name) ctx.enqueue(controller, object.metadata.namespace, object.metadata.name);
  };
  const enqueueCluster = (object: KubeObject): void => {
    const name = clusterNameOf(object);
    if (name) ctx.enqueue('cluster', object.metadata.namespace, name);
  };
  function enqueueRole(role: ObjectRole, type: ResourceType, object: KubeObject): void {
    enqueueObject(`${role}:${type.group}/${type.kind}`, object);
  }
  const enqueueOwners = (object: KubeObject, kind: string, controller: string): void => {
    for (const ref of object.metadata.ownerReferences ?? [])
      if (ref.kind === kind) ctx.enqueue(controller, object.metadata.namespace, ref.name);
  };
  const enqueueMachinesOf = (owner: KubeObject): void => {
    for (const machine of cache.informer(TYPES.machine).byOwner(owner.metadata.uid))
      enqueueObject('machine', machine);
  };

  /** Control plane, bootstrap configs and InfraMachines wait on the Cluster's status. */
  const enqueueClusterDependents = (cluster: KubeObject): void => {
    const namespace = cluster.metadata.namespace;
    const cpName = stringField(cluster, 'spec.controlPlaneRef.name');
    if (cpName) ctx.enqueue('kcp', namespace, cpName);
    for (const machine of cache.informer(TYPES.machine).byCluster(namespace, cluster.metadata.name ?? '')) {
      if (stringField(machine, 'status.phase') !== 'Running') enqueueMachineChildren(machine);
    }
    for (const pool of cache.informer(MACHINE_POOL_TYPE).byCluster(namespace, cluster.metadata.name ?? '')) {
      enqueueObject('mp', pool);
      const ref = readObjectRef(pool, 'spec.template.spec.bootstrap.configRef');
      const role = ref ? roles.get(`${ref.apiGroup}/${ref.kind}`) : undefined;
      if (ref && role) ctx.enqueue(`${role}:${ref.apiGroup}/${ref.kind}`, namespace, ref.name);
    }
  };
  /** InfraMachines wait on the Machine's bootstrap data; both follow the Machine's state. */
  const enqueueMachineChildren = (machine: KubeObject): void => {
    for (const path of ['spec.bootstrap.configRef', 'spec.infrastructureRef']) {
      const ref = readObjectRef(machine, path);
      const role = ref ? roles.get(`${ref.apiGroup}/${ref.kind}`) : undefined;
      if (ref && role)
        ctx.enqueue(`${role}:${ref.apiGroup}/${ref.kind}`, machine.metadata.namespace, ref.name);
    }
  };

  /** Pausing, resuming or deleting a Cluster concerns every object of it: fan out only then. */
  const clusterSpecSeen = new Map<string, string>();
  const fanOutOnClusterSpecChange = (cluster: KubeObject): void => {
    const uid = cluster.metadata.uid ?? '';
    const signature = `${String(field(cluster, 'spec.paused'))}|${cluster.metadata.annotations?.['cluster.x-k8s.io/paused'] ?? ''}|${cluster.metadata.deletionTimestamp ?? ''}`;
    const previous = clusterSpecSeen.get(uid);
    clusterSpecSeen.set(uid, signature);
    if (previous === undefined || previous === signature) return;
    const namespace = cluster.metadata.namespace;
    const name = cluster.metadata.name ?? '';
    for (const md of cache.informer(TYPES.machineDeployment).byCluster(namespace, name))
      enqueueObject('md', md);
    for (const ms of cache.informer(TYPES.machineSet).byCluster(namespace, name)) enqueueObject('ms', ms);
    for (const mhc of cache.informer(TYPES.machineHealthCheck).byCluster(namespace, name))
      enqueueObject('mhc', mhc);
    for (const machine of cache.informer(TYPES.machine).byCluster(namespace, name)) {
      enqueueObject('machine', machine);
      enqueueMachineChildren(machine);
    }
    for (const informer of [cache.informer(TYPES.kubeadmControlPlane)])
      for (const kcp of informer.byCluster(namespace, name)) enqueueObject('kcp', kcp);
  };

  function route(type: ResourceType, _event: InformerEvent, object: KubeObject): void {
    const namespace = object.metadata.namespace;
    if (type.group === TYPES.customResourceDefinition.group) {
      const resolved = resolveFromCrd(object);
      if (resolved && roles.has(`${resolved.type.group}/${resolved.type.kind}`))
        cache.informer(resolved.type);
      return;
    }
    const role = roles.get(`${type.group}/${type.kind}`);
    switch (`${type.group}/${type.kind}`) {
      case 'cluster.x-k8s.io/Cluster':
        enqueueObject('cluster', object);
        enqueueClusterDependents(object);
        fanOutOnClusterSpecChange(object);
        return;
      case 'cluster.x-k8s.io/ClusterClass':
        enqueueObject('clusterclass', object);
        for (const cluster of cache.informer(TYPES.cluster).all()) {
          const key = classKeyOf(cluster);
          if (key?.name === object.metadata.name && key?.namespace === namespace)
            enqueueObject('cluster', cluster);
        }
        return;
      case 'cluster.x-k8s.io/MachineDeployment':
        enqueueObject('md', object);
        enqueueCluster(object);
        for (const ms of cache.informer(TYPES.machineSet).byOwner(object.metadata.uid)) {
          enqueueObject('ms', ms);
          enqueueMachinesOf(ms);
        }
        return;
      case 'cluster.x-k8s.io/MachineSet':
        enqueueObject('ms', object);
        enqueueOwners(object, 'MachineDeployment', 'md');
        return;
      case 'cluster.x-k8s.io/Machine': {
        enqueueObject('machine', object);
        enqueueMachineChildren(object);
        const owner = controllerOwner(object);
        if (owner?.kind === 'MachineSet') ctx.enqueue('ms', namespace, owner.name);
        if (owner?.kind === 'KubeadmControlPlane') ctx.enqueue('kcp', namespace, owner.name);
        enqueueCluster(object);
        const clusterName = clusterNameOf(object);
        if (clusterName)
          for (const mhc of cache.informer(TYPES.machineHealthCheck).byCluster(namespace, clusterName))
            enqueueObject('mhc', mhc);
        return;
      }
      case 'controlplane.cluster.x-k8s.io/KubeadmControlPlane': {
        enqueueObject('kcp', object);
        enqueueCluster(object);
        enqueueMachinesOf(object);
        // MachineSets held back by preflight checks look at the control plane's status.
        const clusterName = clusterNameOf(object);
        if (clusterName)
          for (const ms of cache.informer(TYPES.machineSet).byCluster(namespace, clusterName))
            enqueueObject('ms', ms);
        return;
      }
      case 'cluster.x-k8s.io/MachineHealthCheck':
        enqueueObject('mhc', object);
        return;
      case 'cluster.x-k8s.io/MachinePool':
        enqueueObject('mp', object);
        enqueueCluster(object);
        return;
    }
    // Bootstrap configs and InfraMachinePools of a pool (the latter have no controller of their own).
    enqueueOwners(object, 'MachinePool', 'mp');
    if (role === 'infraCluster') {
      enqueueRole(role, type, object);
      enqueueOwners(object, 'Cluster', 'cluster');
    } else if (role === 'infraMachine' || role === 'bootstrap') {
      enqueueRole(role, type, object);
      enqueueOwners(object, 'Machine', 'machine');
    }
  }

  cache.onInformer((informer) => informer.onEvent((event, object) => route(informer.type, event, object)));
  const core = [
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
  const informers = [cache.crds, ...core.map((type) => cache.informer(type))];
  roles.set(`${TYPES.kubeadmConfig.group}/${TYPES.kubeadmConfig.kind}`, 'bootstrap');

  const admissionLookup: CapiAdmissionLookup = {
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

  // Events queue up from the first list on; workers start once every cache a reconcile reads is full.
  const ready = waitForCacheSync(cache, informers, (role, apiGroup, kind) =>
    ctx.watchRole(role, apiGroup, kind),
  ).then((unsynced) => {
    if (unsynced.length > 0) logger.warn({ kinds: unsynced }, 'starting before these caches listed');
    queue.start();
  });

  return {
    ready,
    admissionLookup,
    async stop() {
      stopped = true;
      queue.stop();
      cache.stop();
    },
  };
}
