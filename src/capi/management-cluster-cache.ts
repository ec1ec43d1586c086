import type { CrdInfo } from '../k8s/crd-registry.ts';
import type { Indexer, IndexedStore } from '../k8s/indexed-store.ts';
import type { KindCacheSpec } from '../k8s/kind-cache.ts';
import { groupKindKey, type GroupKind, type KubeObject } from '../k8s/kube-object.ts';
import type { ManagementClusterConnection } from '../k8s/management-cluster-connection.ts';
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
import type { CapiView, ProviderRole } from './views.ts';

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

/** How objects of a kind in a role become views (the same for every reader). */
export function normaliserFor(gk: GroupKind, role: KindRole): Normaliser {
  if (role === 'Core')
    return (
      coreNormalisers[groupKindKey(gk)] ?? ((o, mc, crd) => normaliseProviderObject(o, mc, 'Template', crd))
    );
  if (role === 'ControlPlane') return normaliseControlPlane;
  return (object, name, crd) => normaliseProviderObject(object, name, role, crd);
}

/**
 * The CAPI view of one management cluster: watches the core kinds, and every control-plane,
 * infrastructure and bootstrap kind as soon as some object references it.
 */
export class ManagementClusterCache {
  private readonly roles = new Map<string, KindRole>();
  /** group → kind → store: looked up per field with the strings refs already hold. */
  private readonly stores = new Map<string, Map<string, ViewStore>>();

  constructor(readonly connection: ManagementClusterConnection) {
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
    const normalise = normaliserFor(gk, role);
    const spec: KindCacheSpec<CapiView> = {
      transform: (object, crd) => normalise(object, mc, crd),
      indexers,
      order: byName,
      onUpsert: (view) => this.discoverReferencedKinds(view),
    };
    let kinds = this.stores.get(gk.group);
    if (!kinds) this.stores.set(gk.group, (kinds = new Map()));
    kinds.set(gk.kind, this.connection.watch(gk, spec).store);
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
