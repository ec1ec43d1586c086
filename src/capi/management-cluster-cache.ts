import type { CrdInfo } from '../k8s/crd-registry.ts';
import type { Indexer, IndexedStore } from '../k8s/indexed-store.ts';
import type { KindCacheSpec, KindChange } from '../k8s/kind-cache.ts';
import { groupKindKey, type GroupKind, type KubeObject } from '../k8s/kube-object.ts';
import type { ManagementClusterConnection } from '../k8s/management-cluster-connection.ts';
import type { CacheChangeEvent, CacheChangeListener } from './change-event.ts';
import { ClusterIndex } from './cluster-index.ts';
import { RawObjectReader, rawOf } from './raw-object-reader.ts';
import { clusterAddressOf, type ClusterWalkReader } from './cluster-of.ts';
import { coreKinds, kubeadmControlPlane, labels } from './kinds.ts';
import { normaliseCluster } from './normalise/cluster.ts';
import { normaliseClusterClass } from './normalise/cluster-class.ts';
import { normaliseClusterctlProvider } from './normalise/clusterctl-provider.ts';
import { normaliseControlPlane } from './normalise/control-plane.ts';
import { normaliseMachine } from './normalise/machine.ts';
import { normaliseMachineHealthCheck } from './normalise/machine-health-check.ts';
import { normaliseProviderObject } from './normalise/provider-object.ts';
import { refKey } from './normalise/refs.ts';
import {
  normaliseMachineDeployment,
  normaliseMachinePool,
  normaliseMachineSet,
} from './normalise/workers.ts';
import type { CapiView, ClusterView, ControlPlaneView, ObjectAddress, ProviderRole } from './views.ts';

/** The index names every kind store carries. */
export const indexNames = {
  uid: 'uid',
  owner: 'owner',
  cluster: 'cluster',
  ref: 'ref',
} as const;

/** The owner key `owned()` looks up: control planes of any kind share one key space. */
export function ownerKey(owner: CapiView): string {
  const kind = owner.viewKind === 'ControlPlane' ? 'ControlPlane' : owner.address.kind;
  return `${kind}/${owner.address.namespace}/${owner.address.name}`;
}

/**
 * Owners by ownerReference and by the owner-name labels in one index (controllers re-add
 * ownerReferences that backup tools strip; the labels survive), so reads need no union.
 */
function ownerKeysOf(view: CapiView): string[] {
  const ns = view.address.namespace;
  const keys = new Set<string>();
  for (const o of view.owners) {
    keys.add(`${o.kind}/${ns}/${o.name}`);
    if (o.group.startsWith('controlplane.')) keys.add(`ControlPlane/${ns}/${o.name}`);
  }
  const l = view.labels;
  if (l[labels.setName]) keys.add(`MachineSet/${ns}/${l[labels.setName]}`);
  if (l[labels.deploymentName]) keys.add(`MachineDeployment/${ns}/${l[labels.deploymentName]}`);
  if (l[labels.poolName]) keys.add(`MachinePool/${ns}/${l[labels.poolName]}`);
  if (l[labels.controlPlaneName]) keys.add(`ControlPlane/${ns}/${l[labels.controlPlaneName]}`);
  return [...keys];
}

const indexers: Record<string, Indexer<CapiView>> = {
  [indexNames.uid]: (v) => [v.uid],
  [indexNames.owner]: ownerKeysOf,
  [indexNames.cluster]: (v) => (v.clusterName ? [`${v.address.namespace}/${v.clusterName}`] : []),
  [indexNames.ref]: (v) => v.refs.map(refKey),
};

function byName(a: CapiView, b: CapiView): number {
  return a.address.name < b.address.name ? -1 : a.address.name > b.address.name ? 1 : 0;
}

export type KindRole = 'Core' | 'ControlPlane' | ProviderRole;

export type ViewStore = IndexedStore<CapiView>;

export type Normaliser = (object: KubeObject, mc: string, crd: CrdInfo) => CapiView;

const coreNormalisers: Record<string, Normaliser> = {
  [groupKindKey(coreKinds.Cluster)]: normaliseCluster,
  [groupKindKey(coreKinds.ClusterClass)]: normaliseClusterClass,
  [groupKindKey(coreKinds.MachineDeployment)]: normaliseMachineDeployment,
  [groupKindKey(coreKinds.MachineSet)]: normaliseMachineSet,
  [groupKindKey(coreKinds.MachinePool)]: normaliseMachinePool,
  [groupKindKey(coreKinds.Machine)]: normaliseMachine,
  [groupKindKey(coreKinds.MachineHealthCheck)]: normaliseMachineHealthCheck,
  [groupKindKey(coreKinds.ClusterctlProvider)]: normaliseClusterctlProvider,
};

/**
 * How the caches turn objects of a kind into the views they keep: without the stored object
 * (`raw`), which the raw reader fetches when a query asks for it.
 */
export function cachedNormaliserFor(gk: GroupKind, role: KindRole): Normaliser {
  return viewNormaliserFor(gk, role);
}

/** How objects of a kind in a role become views carrying the stored object (readers without caches). */
export function normaliserFor(gk: GroupKind, role: KindRole): Normaliser {
  const normalise = viewNormaliserFor(gk, role);
  // Added, not spread into a copy: see viewOf (normalise/base.ts).
  return (object, mc, crd) => Object.assign(normalise(object, mc, crd), { raw: rawOf(object) });
}

/** How objects of a kind in a role become views (the same for every reader). */
function viewNormaliserFor(gk: GroupKind, role: KindRole): Normaliser {
  if (role === 'Core')
    return (
      coreNormalisers[groupKindKey(gk)] ?? ((o, mc, crd) => normaliseProviderObject(o, mc, 'Template', crd))
    );
  if (role === 'ControlPlane') return normaliseControlPlane;
  return (object, name, crd) => normaliseProviderObject(object, name, role, crd);
}

/**
 * The CAPI view of one management cluster: watches the core kinds, and every control-plane,
 * infrastructure and bootstrap kind as soon as some object references it. Every change of a
 * cached object is announced to subscribers as a typed event, with the workload Cluster it
 * belongs to.
 */
export class ManagementClusterCache implements ClusterWalkReader {
  private readonly roles = new Map<string, KindRole>();
  /** group → kind → store: looked up per field with the strings refs already hold. */
  private readonly stores = new Map<string, Map<string, ViewStore>>();
  private readonly listeners = new Set<CacheChangeListener>();
  /** Cluster counters and postings, updated with every Cluster and control-plane change. */
  readonly clusterIndex = new ClusterIndex();
  /** Stored objects, read from the API server when a query asks for `raw` (batched). */
  readonly rawReader: RawObjectReader;

  constructor(readonly connection: ManagementClusterConnection) {
    this.rawReader = new RawObjectReader(connection);
    for (const gk of Object.values(coreKinds)) this.ensureKind(gk, 'Core');
    this.ensureKind(kubeadmControlPlane, 'ControlPlane');
  }

  get name(): string {
    return this.connection.name;
  }

  start(): void {
    this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  roleOf(gk: GroupKind): KindRole | undefined {
    return this.roles.get(groupKindKey(gk));
  }

  store(gk: GroupKind): ViewStore | undefined {
    return this.stores.get(gk.group)?.get(gk.kind);
  }

  /** Every kind with a store: the core ones, control planes, and providers found through refs. */
  kinds(): GroupKind[] {
    return [...this.stores].flatMap(([group, kinds]) => [...kinds.keys()].map((kind) => ({ group, kind })));
  }

  /** Called for every change of every cached object from now on; returns the unsubscribe. */
  subscribe(listener: CacheChangeListener): () => void {
    // A wrapper per subscription: the same function subscribed twice is unsubscribed twice.
    const entry: CacheChangeListener = (event) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** How many subscriptions are open (an unsubscribe leaves none behind). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  get(address: ObjectAddress): CapiView | null {
    return this.store(address)?.get(address.namespace, address.name) ?? null;
  }

  referrers(target: CapiView, kind: 'Cluster' | 'Machine' | 'MachinePool'): readonly CapiView[] {
    return this.store(coreKinds[kind])?.byIndex(indexNames.ref, refKey(target.address)) ?? [];
  }

  owner(view: CapiView): CapiView | null {
    const ref = view.owners.find((o) => o.controller) ?? view.owners[0];
    if (!ref) return null;
    return this.store(ref)?.byIndex(indexNames.uid, ref.uid)[0] ?? null;
  }

  /** Every store with its GroupKind key (`Kind.group`). */
  *allStores(): IterableIterator<[string, ViewStore]> {
    for (const [group, kinds] of this.stores)
      for (const [kind, store] of kinds) yield [groupKindKey({ group, kind }), store];
  }

  private ensureKind(gk: GroupKind, role: KindRole): void {
    const key = groupKindKey(gk);
    if (this.roles.has(key)) return;
    this.roles.set(key, role);
    const mc = this.connection.name;
    const normalise = cachedNormaliserFor(gk, role);
    const spec: KindCacheSpec<CapiView> = {
      transform: (object, crd) => normalise(object, mc, crd),
      indexers,
      order: byName,
      onChange: (change) => this.changed(change),
    };
    let kinds = this.stores.get(gk.group);
    if (!kinds) this.stores.set(gk.group, (kinds = new Map()));
    kinds.set(gk.kind, this.connection.watch(gk, spec).store);
  }

  private changed(change: KindChange<CapiView>): void {
    if (change.new) this.discoverReferencedKinds(change.new);
    this.indexClusters(change);
    if (this.listeners.size === 0) return;
    const view = change.new ?? change.old;
    if (!view) return;
    const event: CacheChangeEvent = {
      type: change.type,
      managementCluster: this.name,
      address: view.address,
      old: change.old ?? null,
      new: change.new ?? null,
      resourceVersion: change.resourceVersion,
      cluster: clusterAddressOf(this, view),
    };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        // One failing subscriber must neither stop the cache nor starve the others.
        console.error(`capi-gateway: a cache change listener failed: ${(err as Error).message}`);
      }
    }
  }

  private controlPlaneOf(cluster: ClusterView): ControlPlaneView | null {
    const ref = cluster.controlPlaneRef;
    const view = ref ? (this.store(ref)?.get(ref.namespace, ref.name) ?? null) : null;
    return view?.viewKind === 'ControlPlane' ? view : null;
  }

  /** A Cluster counts by its own fields and its control plane's version. */
  private indexClusters(change: KindChange<CapiView>): void {
    const view = change.new ?? change.old;
    if (view?.viewKind === 'Cluster') {
      const cluster = change.new?.viewKind === 'Cluster' ? change.new : null;
      this.clusterIndex.update(change.key, cluster, cluster && this.controlPlaneOf(cluster));
    } else if (view?.viewKind === 'ControlPlane') {
      const controlPlane = change.new?.viewKind === 'ControlPlane' ? change.new : null;
      for (const c of this.referrers(view, 'Cluster')) {
        if (c.viewKind !== 'Cluster') continue;
        this.clusterIndex.update(`${c.address.namespace}/${c.address.name}`, c, controlPlane);
      }
    }
  }

  /** Refs name kinds the cache has never seen: watch them, with the role the field gives them. */
  private discoverReferencedKinds(view: CapiView): void {
    switch (view.viewKind) {
      case 'Cluster':
        if (view.controlPlaneRef) this.ensureKind(view.controlPlaneRef, 'ControlPlane');
        if (view.infrastructureRef) this.ensureKind(view.infrastructureRef, 'InfrastructureCluster');
        return;
      case 'Machine':
        if (view.infrastructureRef) this.ensureKind(view.infrastructureRef, 'InfrastructureMachine');
        if (view.bootstrapConfigRef) this.ensureKind(view.bootstrapConfigRef, 'BootstrapConfig');
        return;
      case 'MachinePool':
        if (view.infrastructureRef) this.ensureKind(view.infrastructureRef, 'InfrastructureMachinePool');
        if (view.bootstrapConfigRef) this.ensureKind(view.bootstrapConfigRef, 'BootstrapConfig');
        return;
      case 'MachineDeployment':
      case 'MachineSet':
        if (view.infrastructureTemplateRef) this.ensureKind(view.infrastructureTemplateRef, 'Template');
        if (view.bootstrapTemplateRef) this.ensureKind(view.bootstrapTemplateRef, 'Template');
        return;
      case 'ControlPlane':
        if (view.infrastructureTemplateRef) this.ensureKind(view.infrastructureTemplateRef, 'Template');
        return;
      case 'ClusterClass':
        for (const w of view.workerClasses) {
          if (w.infrastructureTemplateRef) this.ensureKind(w.infrastructureTemplateRef, 'Template');
          if (w.bootstrapTemplateRef) this.ensureKind(w.bootstrapTemplateRef, 'Template');
        }
        return;
      default:
        return;
    }
  }
}
