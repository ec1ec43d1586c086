/**
 * The engine's event routing: a change of one object enqueues the objects whose reconcile
 * depends on it (owner, cluster, health checks, children waiting on it) — level-triggered, so
 * any missed event is covered by the next.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterNameOf } from './cluster-lookup.ts';
import { type EngineContext, type ObjectRole, controllerOwner } from './engine-context.ts';
import type { InformerEvent } from './informer.ts';
import type { ResourceType } from './kube-client.ts';
import { MACHINE_POOL_TYPE } from './machine-pool-controller.ts';
import { readObjectRef } from './machine-factory.ts';
import { type ObjectCache, resolveFromCrd } from './object-cache.ts';
import { field, stringField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import { classKeyOf } from './topology-reconciler.ts';

export class EventRouter {
  /** Pausing, resuming or deleting a Cluster concerns every object of it: fan out only then. */
  private readonly clusterSpecSeen = new Map<string, string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly cache: ObjectCache,
    /** `group/Kind` → the role the engine simulates objects of that kind in. */
    private readonly roles: Map<string, ObjectRole>,
  ) {}

  route(type: ResourceType, _event: InformerEvent, object: KubeObject): void {
    if (type.group === TYPES.customResourceDefinition.group) return this.crdChanged(object);
    switch (`${type.group}/${type.kind}`) {
      case 'cluster.x-k8s.io/Cluster':
        return this.clusterChanged(object);
      case 'cluster.x-k8s.io/ClusterClass':
        return this.clusterClassChanged(object);
      case 'cluster.x-k8s.io/MachineDeployment':
        return this.machineDeploymentChanged(object);
      case 'cluster.x-k8s.io/MachineSet':
        this.enqueueObject('ms', object);
        return this.enqueueOwners(object, 'MachineDeployment', 'md');
      case 'cluster.x-k8s.io/Machine':
        return this.machineChanged(object);
      case 'controlplane.cluster.x-k8s.io/KubeadmControlPlane':
        return this.controlPlaneChanged(object);
      case 'cluster.x-k8s.io/MachineHealthCheck':
        return this.enqueueObject('mhc', object);
      case 'cluster.x-k8s.io/MachinePool':
        this.enqueueObject('mp', object);
        return this.enqueueCluster(object);
    }
    this.providerObjectChanged(type, object);
  }

  enqueueRole(role: ObjectRole, type: ResourceType, object: KubeObject): void {
    this.enqueueObject(`${role}:${type.group}/${type.kind}`, object);
  }

  /** A provider kind the engine simulates gets its informer once its CRD appears. */
  private crdChanged(crd: KubeObject): void {
    const resolved = resolveFromCrd(crd);
    if (resolved && this.roles.has(`${resolved.type.group}/${resolved.type.kind}`))
      this.cache.informer(resolved.type);
  }

  private clusterChanged(cluster: KubeObject): void {
    this.enqueueObject('cluster', cluster);
    this.enqueueClusterDependents(cluster);
    this.fanOutOnClusterSpecChange(cluster);
  }

  private clusterClassChanged(clusterClass: KubeObject): void {
    this.enqueueObject('clusterclass', clusterClass);
    for (const cluster of this.cache.informer(TYPES.cluster).all()) {
      const key = classKeyOf(cluster);
      if (key?.name === clusterClass.metadata.name && key?.namespace === clusterClass.metadata.namespace)
        this.enqueueObject('cluster', cluster);
    }
  }

  private machineDeploymentChanged(md: KubeObject): void {
    this.enqueueObject('md', md);
    this.enqueueCluster(md);
    for (const ms of this.cache.informer(TYPES.machineSet).byOwner(md.metadata.uid)) {
      this.enqueueObject('ms', ms);
      this.enqueueMachinesOf(ms);
    }
  }

  private machineChanged(machine: KubeObject): void {
    const namespace = machine.metadata.namespace;
    this.enqueueObject('machine', machine);
    this.enqueueMachineChildren(machine);
    const owner = controllerOwner(machine);
    if (owner?.kind === 'MachineSet') this.ctx.enqueue('ms', namespace, owner.name);
    if (owner?.kind === 'KubeadmControlPlane') this.ctx.enqueue('kcp', namespace, owner.name);
    this.enqueueCluster(machine);
    const clusterName = clusterNameOf(machine);
    if (clusterName)
      for (const mhc of this.cache.informer(TYPES.machineHealthCheck).byCluster(namespace, clusterName))
        this.enqueueObject('mhc', mhc);
  }

  private controlPlaneChanged(kcp: KubeObject): void {
    this.enqueueObject('kcp', kcp);
    this.enqueueCluster(kcp);
    this.enqueueMachinesOf(kcp);
    // MachineSets held back by preflight checks look at the control plane's status.
    const clusterName = clusterNameOf(kcp);
    if (clusterName)
      for (const ms of this.cache.informer(TYPES.machineSet).byCluster(kcp.metadata.namespace, clusterName))
        this.enqueueObject('ms', ms);
  }

  /** Bootstrap configs and InfraMachinePools of a pool (the latter have no controller of their own). */
  private providerObjectChanged(type: ResourceType, object: KubeObject): void {
    const role = this.roles.get(`${type.group}/${type.kind}`);
    this.enqueueOwners(object, 'MachinePool', 'mp');
    if (role === 'infraCluster') {
      this.enqueueRole(role, type, object);
      this.enqueueOwners(object, 'Cluster', 'cluster');
    } else if (role === 'infraMachine' || role === 'bootstrap') {
      this.enqueueRole(role, type, object);
      this.enqueueOwners(object, 'Machine', 'machine');
    }
  }

  private enqueueObject(controller: string, object: KubeObject | undefined): void {
    if (object?.metadata.name) this.ctx.enqueue(controller, object.metadata.namespace, object.metadata.name);
  }

  private enqueueCluster(object: KubeObject): void {
    const name = clusterNameOf(object);
    if (name) this.ctx.enqueue('cluster', object.metadata.namespace, name);
  }

  private enqueueOwners(object: KubeObject, kind: string, controller: string): void {
    for (const ref of object.metadata.ownerReferences ?? [])
      if (ref.kind === kind) this.ctx.enqueue(controller, object.metadata.namespace, ref.name);
  }

  private enqueueMachinesOf(owner: KubeObject): void {
    for (const machine of this.cache.informer(TYPES.machine).byOwner(owner.metadata.uid))
      this.enqueueObject('machine', machine);
  }

  /** Control plane, bootstrap configs and InfraMachines wait on the Cluster's status. */
  private enqueueClusterDependents(cluster: KubeObject): void {
    const namespace = cluster.metadata.namespace;
    const name = cluster.metadata.name ?? '';
    const cpName = stringField(cluster, 'spec.controlPlaneRef.name');
    if (cpName) this.ctx.enqueue('kcp', namespace, cpName);
    for (const machine of this.cache.informer(TYPES.machine).byCluster(namespace, name))
      if (stringField(machine, 'status.phase') !== 'Running') this.enqueueMachineChildren(machine);
    for (const pool of this.cache.informer(MACHINE_POOL_TYPE).byCluster(namespace, name)) {
      this.enqueueObject('mp', pool);
      this.enqueueRef(pool, 'spec.template.spec.bootstrap.configRef', namespace);
    }
  }

  /** InfraMachines wait on the Machine's bootstrap data; both follow the Machine's state. */
  private enqueueMachineChildren(machine: KubeObject): void {
    for (const path of ['spec.bootstrap.configRef', 'spec.infrastructureRef'])
      this.enqueueRef(machine, path, machine.metadata.namespace);
  }

  /** The object `path` references, under the role its kind is simulated in (if any). */
  private enqueueRef(object: KubeObject, path: string, namespace: string | undefined): void {
    const ref = readObjectRef(object, path);
    const role = ref ? this.roles.get(`${ref.apiGroup}/${ref.kind}`) : undefined;
    if (ref && role) this.ctx.enqueue(`${role}:${ref.apiGroup}/${ref.kind}`, namespace, ref.name);
  }

  private fanOutOnClusterSpecChange(cluster: KubeObject): void {
    const uid = cluster.metadata.uid ?? '';
    const signature = `${String(field(cluster, 'spec.paused'))}|${cluster.metadata.annotations?.['cluster.x-k8s.io/paused'] ?? ''}|${cluster.metadata.deletionTimestamp ?? ''}`;
    const previous = this.clusterSpecSeen.get(uid);
    this.clusterSpecSeen.set(uid, signature);
    if (previous === undefined || previous === signature) return;
    const namespace = cluster.metadata.namespace;
    const name = cluster.metadata.name ?? '';
    for (const md of this.cache.informer(TYPES.machineDeployment).byCluster(namespace, name))
      this.enqueueObject('md', md);
    for (const ms of this.cache.informer(TYPES.machineSet).byCluster(namespace, name))
      this.enqueueObject('ms', ms);
    for (const mhc of this.cache.informer(TYPES.machineHealthCheck).byCluster(namespace, name))
      this.enqueueObject('mhc', mhc);
    for (const machine of this.cache.informer(TYPES.machine).byCluster(namespace, name)) {
      this.enqueueObject('machine', machine);
      this.enqueueMachineChildren(machine);
    }
    for (const kcp of this.cache.informer(TYPES.kubeadmControlPlane).byCluster(namespace, name))
      this.enqueueObject('kcp', kcp);
  }
}
