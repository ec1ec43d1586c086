/**
 * The naive peer of the benchmark: the reader port implemented the way a straightforward
 * client would — every field access is one API LIST (by label or `metadata.name` field
 * selector), nothing batched, nothing shared between fields. Only the CRDs (which version
 * and plural serve a kind) are looked up once. It answers the schema's synchronous port in
 * rounds (rounds.ts), each distinct lookup once.
 */
import { crdInfoOf, type CrdInfo } from '../../src/k8s/crd-registry.ts';
import { groupKindKey, isKubeObject, type GroupKind, type KubeObject } from '../../src/k8s/kube-object.ts';
import type {
  ClusterMemberKind,
  FleetResult,
  ManagementClusterStatus,
  OwnedKind,
  ProvidersResult,
  ViewByKind,
} from '../../src/capi/fleet-reader.ts';
import { coreKinds, labels } from '../../src/capi/kinds.ts';
import { normaliserFor } from '../../src/capi/management-cluster-cache.ts';
import { refKey } from '../../src/capi/normalise/refs.ts';
import { roleByName } from '../../src/capi/provider-roles.ts';
import type {
  CapiView,
  ClusterClassView,
  ClusterctlProviderView,
  ClusterView,
  ControlPlaneView,
  ObjectAddress,
  ObjectRef,
} from '../../src/capi/views.ts';
import type { AsyncFleetReader } from './async-fleet-reader.ts';
import type { KubeHttp } from './kube-http.ts';

interface ListQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export class NaiveFleetReader implements AsyncFleetReader {
  private constructor(
    private readonly name: string,
    private readonly server: string,
    private readonly http: KubeHttp,
    private readonly crds: Map<string, CrdInfo>,
  ) {}

  static async connect(name: string, server: string, http: KubeHttp): Promise<NaiveFleetReader> {
    const list = (await http.call('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')) as {
      items: unknown[];
    };
    const crds = new Map<string, CrdInfo>();
    for (const item of list.items) {
      const info = isKubeObject(item) ? crdInfoOf(item) : undefined;
      if (info) crds.set(groupKindKey(info), info);
    }
    return new NaiveFleetReader(name, server, http, crds);
  }

  /** The one LIST a field access makes. */
  private async list(gk: GroupKind, query: ListQuery): Promise<CapiView[]> {
    const crd = this.crds.get(groupKindKey(gk));
    if (!crd) return [];
    const params = new URLSearchParams();
    if (query.labelSelector) params.set('labelSelector', query.labelSelector);
    if (query.fieldSelector) params.set('fieldSelector', query.fieldSelector);
    const scope = crd.namespaced && query.namespace ? `/namespaces/${query.namespace}` : '';
    const body = (await this.http.call(
      'GET',
      `/apis/${crd.group}/${crd.version}${scope}/${crd.plural}?${params.toString()}`,
    )) as { items: unknown[] };
    const normalise = normaliserFor(gk, roleByName(gk));
    return body.items
      .filter((o): o is KubeObject => isKubeObject(o))
      .map((o) => normalise(o, this.name, crd))
      .sort((a, b) => (a.address.name < b.address.name ? -1 : a.address.name > b.address.name ? 1 : 0));
  }

  private async byName(gk: GroupKind, namespace: string, name: string): Promise<CapiView | null> {
    const [view] = await this.list(gk, { namespace, fieldSelector: `metadata.name=${name}` });
    return view ?? null;
  }

  managementClusters(): ManagementClusterStatus[] {
    return [this.managementCluster(this.name)!];
  }

  managementCluster(name: string): ManagementClusterStatus | undefined {
    if (name !== this.name) return undefined;
    return {
      name,
      server: this.server,
      reachable: true,
      synced: true,
      lastSyncTime: new Date(),
      error: null,
    };
  }

  availability(name: string): string | null {
    return name === this.name ? null : `unknown management cluster '${name}'`;
  }

  async providers(): Promise<ProvidersResult> {
    const providers = (await this.list(coreKinds.ClusterctlProvider, {})) as ClusterctlProviderView[];
    return providers.length > 0
      ? { ok: true, providers }
      : { ok: false, reason: 'no clusterctl Provider objects' };
  }

  async clusters(): Promise<FleetResult<ClusterView>> {
    return { items: (await this.list(coreKinds.Cluster, {})) as ClusterView[], unavailable: [] };
  }

  async clusterClasses(): Promise<FleetResult<ClusterClassView>> {
    return { items: (await this.list(coreKinds.ClusterClass, {})) as ClusterClassView[], unavailable: [] };
  }

  get(address: ObjectAddress): Promise<CapiView | null> {
    return this.byName(address, address.namespace, address.name);
  }

  resolveRef(_managementCluster: string, ref: ObjectRef): Promise<CapiView | null> {
    return this.byName(ref, ref.namespace, ref.name);
  }

  async referrers(
    target: CapiView,
    kind: 'Cluster' | 'Machine' | 'MachinePool',
  ): Promise<readonly CapiView[]> {
    const key = refKey(target.address);
    const all = await this.list(coreKinds[kind], { namespace: target.address.namespace });
    return all.filter((v) => v.refs.some((r) => refKey(r) === key));
  }

  async owned<K extends OwnedKind>(owner: CapiView, kind: K): Promise<readonly ViewByKind[K][]> {
    const labelKey =
      owner.viewKind === 'ControlPlane'
        ? labels.controlPlaneName
        : owner.address.kind === 'MachineDeployment'
          ? labels.deploymentName
          : owner.address.kind === 'MachinePool'
            ? labels.poolName
            : labels.setName;
    const views = await this.list(coreKinds[kind], {
      namespace: owner.address.namespace,
      labelSelector: `${labelKey}=${owner.address.name}`,
    });
    return views.filter((v) =>
      v.owners.every(
        (o) => o.kind !== owner.address.kind || o.name !== owner.address.name || o.uid === owner.uid,
      ),
    ) as ViewByKind[K][];
  }

  async ofCluster<K extends ClusterMemberKind>(
    cluster: ClusterView,
    kind: K,
  ): Promise<readonly ViewByKind[K][]> {
    const views = await this.list(coreKinds[kind], {
      namespace: cluster.address.namespace,
      labelSelector: `${labels.clusterName}=${cluster.address.name}`,
    });
    return views.filter((v) => v.clusterName === cluster.address.name) as ViewByKind[K][];
  }

  async owner(view: CapiView): Promise<CapiView | null> {
    const ref = view.owners.find((o) => o.controller) ?? view.owners[0];
    if (!ref) return null;
    const found = await this.byName(ref, view.address.namespace, ref.name);
    return found?.uid === ref.uid ? found : null;
  }

  async clusterClass(
    _managementCluster: string,
    namespace: string,
    name: string,
  ): Promise<ClusterClassView | null> {
    const view = await this.byName(coreKinds.ClusterClass, namespace, name);
    return view?.viewKind === 'ClusterClass' ? view : null;
  }

  async controlPlaneOf(cluster: ClusterView): Promise<ControlPlaneView | null> {
    if (!cluster.controlPlaneRef) return null;
    const view = await this.resolveRef(cluster.address.managementCluster, cluster.controlPlaneRef);
    return view?.viewKind === 'ControlPlane' ? view : null;
  }
}
