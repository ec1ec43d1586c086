import DataLoader from 'dataloader';
import { toDomainError } from '../../src/k8s/api-errors.ts';
import { crdInfoOf, targetOf, type CrdInfo } from '../../src/k8s/crd-registry.ts';
import { groupKindKey, type GroupKind, type KubeObject } from '../../src/k8s/kube-object.ts';
import type { KubeTransport, ResourceTarget } from '../../src/k8s/kube-transport.ts';
import type {
  ClusterMemberKind,
  FleetResult,
  ManagementClusterStatus,
  OwnedKind,
  ProvidersResult,
  ViewByKind,
} from '../../src/capi/fleet-reader.ts';
import type { Fleet } from '../../src/capi/fleet.ts';
import type { AsyncFleetReader } from './async-fleet-reader.ts';
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

/** What the API reader needs of a management cluster: a name, its server, a transport. */
export interface ApiSource {
  name: string;
  server: string;
  transport: KubeTransport;
}

/** The API sources of a gateway's management clusters (their transports, not their caches). */
export function apiSourcesOf(fleet: Fleet): ApiSource[] {
  return fleet.caches.map((c) => ({
    name: c.name,
    get server() {
      return c.connection.server;
    },
    transport: c.connection.transport,
  }));
}

interface ListKey {
  mc: string;
  gk: GroupKind;
  namespace?: string;
  /** With labelKey: the objects whose label `labelKey` equals `labelValue`. */
  labelKey?: string;
  labelValue?: string;
}

interface GetKey {
  mc: string;
  gk: GroupKind;
  namespace: string;
  name: string;
}

const crdTarget: ResourceTarget = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
};

const listKeyOf = (k: ListKey): string =>
  `${k.mc}|${groupKindKey(k.gk)}|${k.namespace ?? ''}|${k.labelKey ?? ''}|${k.labelValue ?? ''}`;
const getKeyOf = (k: GetKey): string => `${k.mc}|${groupKindKey(k.gk)}|${k.namespace}|${k.name}`;

/** Set-based selectors stay well below URL limits with this many values. */
const maxValuesPerSelector = 100;

/**
 * Requests one reader has in flight at most: a batch of thousands of GETs (an infra machine
 * per Machine of a large fleet) otherwise opens thousands of connections at once, and the
 * server resets them.
 */
const maxRequestsInFlight = 32;

function byName(a: CapiView, b: CapiView): number {
  return a.address.name < b.address.name ? -1 : a.address.name > b.address.name ? 1 : 0;
}

/**
 * What a cacheless gateway would do, kept as the benchmark's DataLoader peer: one reader per
 * request, every lookup goes to the API server, batched and de-duplicated with DataLoader —
 * LISTs by the same label key are merged into one `key in (a,b,…)` LIST, GETs of one object
 * happen once, CRDs are listed once per management cluster.
 *
 * It lives here, not in src/: the gateway serves from its caches (docs/architecture.md,
 * decision 1), and this reader's promises were the only reason the reader port — and every
 * resolver — had to accept `T | Promise<T>`. The schema now reads synchronously; this reader
 * answers it in rounds (rounds.ts), which keeps its batching: each round's lookups are loaded
 * together, as DataLoader batched them within one tick before.
 */
export class ApiFleetReader implements AsyncFleetReader {
  private readonly sources: Map<string, ApiSource>;
  private readonly failures = new Map<string, string>();
  private readonly crds: DataLoader<string, Map<string, CrdInfo>>;
  private readonly lists: DataLoader<ListKey, readonly CapiView[], string>;
  private readonly gets: DataLoader<GetKey, CapiView | null, string>;
  private inFlight = 0;
  private readonly queued: Array<() => void> = [];

  constructor(sources: Iterable<ApiSource>) {
    this.sources = new Map([...sources].map((s) => [s.name, s]));
    this.crds = new DataLoader((mcs) => Promise.all(mcs.map((mc) => this.loadCrds(mc))));
    this.lists = new DataLoader((keys) => this.loadLists(keys), { cacheKeyFn: listKeyOf });
    this.gets = new DataLoader((keys) => Promise.all(keys.map((k) => this.loadOne(k))), {
      cacheKeyFn: getKeyOf,
    });
  }

  private source(mc: string): ApiSource {
    const source = this.sources.get(mc);
    if (!source) throw new Error(`unknown management cluster '${mc}'`);
    return source;
  }

  /** Runs an API call; a failure is remembered for the management cluster's status and rethrown scrubbed. */
  private async call<T>(mc: string, what: string, fn: () => Promise<T>): Promise<T> {
    if (this.inFlight >= maxRequestsInFlight) await new Promise<void>((resolve) => this.queued.push(resolve));
    this.inFlight++;
    try {
      return await fn().catch((err: unknown) => {
        // A kept-alive connection the server closed while this process was busy: reads are
        // idempotent, so one retry on a fresh connection.
        if ((err as { code?: string }).code === 'ECONNRESET') return fn();
        throw err;
      });
    } catch (err) {
      const error = toDomainError(err, what);
      if (error.code === 'NOT_FOUND') throw Object.assign(new Error(error.message), { notFound: true });
      this.failures.set(mc, error.message);
      throw new Error(error.message);
    } finally {
      this.inFlight--;
      this.queued.shift()?.();
    }
  }

  private async loadCrds(mc: string): Promise<Map<string, CrdInfo>> {
    const source = this.source(mc);
    const infos = new Map<string, CrdInfo>();
    let continueToken: string | undefined;
    do {
      const page = await this.call(mc, 'customresourcedefinitions', () =>
        source.transport.list(crdTarget, { limit: 500, continueToken }),
      );
      for (const item of page.items) {
        const info = crdInfoOf(item);
        if (info) infos.set(groupKindKey(info), info);
      }
      continueToken = page.continueToken;
    } while (continueToken);
    return infos;
  }

  private async crd(mc: string, gk: GroupKind): Promise<CrdInfo | undefined> {
    return (await this.crds.load(mc)).get(groupKindKey(gk));
  }

  private toView(mc: string, gk: GroupKind, crd: CrdInfo, object: KubeObject): CapiView {
    return normaliserFor(gk, roleByName(gk))(object, mc, crd);
  }

  private async listAll(mc: string, target: ResourceTarget, namespace?: string, labelSelector?: string) {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.call(mc, `${target.plural}.${target.group}`, () =>
        this.source(mc).transport.list(target, { namespace, labelSelector, limit: 500, continueToken }),
      );
      items.push(...page.items);
      continueToken = page.continueToken;
    } while (continueToken);
    return items;
  }

  /** Groups keys that differ only in label value into one set-based LIST each. */
  private async loadLists(keys: readonly ListKey[]): Promise<Array<readonly CapiView[] | Error>> {
    const groups = new Map<string, ListKey[]>();
    for (const k of keys) {
      const g = `${k.mc}|${groupKindKey(k.gk)}|${k.namespace ?? ''}|${k.labelKey ?? ''}`;
      groups.set(g, [...(groups.get(g) ?? []), k]);
    }
    const results = new Map<string, readonly CapiView[] | Error>();
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const first = group[0]!;
        try {
          const crd = await this.crd(first.mc, first.gk);
          if (!crd) {
            for (const k of group) results.set(listKeyOf(k), []);
            return;
          }
          const values = [...new Set(group.map((k) => k.labelValue ?? ''))];
          const chunks: string[][] = [];
          for (let i = 0; i < values.length; i += maxValuesPerSelector)
            chunks.push(values.slice(i, i + maxValuesPerSelector));
          const objects = (
            await Promise.all(
              chunks.map((chunk) =>
                this.listAll(
                  first.mc,
                  targetOf(crd),
                  first.namespace,
                  first.labelKey ? `${first.labelKey} in (${chunk.join(',')})` : undefined,
                ),
              ),
            )
          ).flat();
          const views = objects.map((o) => this.toView(first.mc, first.gk, crd, o)).sort(byName);
          // What a LIST brought need not be fetched again by name (owners, refs).
          for (const v of views) {
            this.gets.prime(
              { mc: first.mc, gk: first.gk, namespace: v.address.namespace, name: v.address.name },
              v,
            );
          }
          for (const k of group) {
            results.set(
              listKeyOf(k),
              k.labelKey ? views.filter((v) => v.labels[k.labelKey!] === k.labelValue) : views,
            );
          }
        } catch (err) {
          for (const k of group) results.set(listKeyOf(k), err as Error);
        }
      }),
    );
    return keys.map((k) => results.get(listKeyOf(k))!);
  }

  private async loadOne(key: GetKey): Promise<CapiView | null> {
    const crd = await this.crd(key.mc, key.gk);
    if (!crd) return null;
    try {
      const object = await this.call(key.mc, `${crd.plural}.${crd.group}`, () =>
        this.source(key.mc).transport.get(targetOf(crd), key.namespace, key.name),
      );
      return this.toView(key.mc, key.gk, crd, object);
    } catch (err) {
      if ((err as { notFound?: boolean }).notFound) return null;
      throw err;
    }
  }

  managementClusters(): ManagementClusterStatus[] {
    return [...this.sources.values()].map((s) => this.managementCluster(s.name)!);
  }

  managementCluster(name: string): ManagementClusterStatus | undefined {
    const source = this.sources.get(name);
    if (!source) return undefined;
    const failure = this.failures.get(name) ?? null;
    // Live reads: nothing to sync; reachable as far as this request has seen.
    return {
      name,
      server: source.server,
      reachable: failure === null,
      synced: true,
      lastSyncTime: new Date(),
      error: failure,
    };
  }

  availability(name: string): string | null {
    return this.sources.has(name) ? null : `unknown management cluster '${name}'`;
  }

  async providers(managementCluster: string): Promise<ProvidersResult> {
    let crd: CrdInfo | undefined;
    try {
      crd = await this.crd(managementCluster, coreKinds.ClusterctlProvider);
    } catch (err) {
      // A failed CRD read says nothing about what is installed: report it as what it is.
      return { ok: false, reason: (err as Error).message };
    }
    if (!crd)
      return {
        ok: false,
        reason: 'the clusterctl Provider CRD (providers.clusterctl.cluster.x-k8s.io) is not installed',
      };
    const providers = (await this.lists.load({
      mc: managementCluster,
      gk: coreKinds.ClusterctlProvider,
    })) as ClusterctlProviderView[];
    return providers.length > 0
      ? { ok: true, providers }
      : { ok: false, reason: 'no clusterctl Provider objects on this management cluster' };
  }

  async clusters(managementCluster?: string): Promise<FleetResult<ClusterView>> {
    return (await this.fleetWide(coreKinds.Cluster, managementCluster)) as FleetResult<ClusterView>;
  }

  async clusterClasses(managementCluster?: string): Promise<FleetResult<ClusterClassView>> {
    return (await this.fleetWide(coreKinds.ClusterClass, managementCluster)) as FleetResult<ClusterClassView>;
  }

  private async fleetWide(gk: GroupKind, managementCluster?: string): Promise<FleetResult<CapiView>> {
    const result: FleetResult<CapiView> = { items: [], unavailable: [] };
    const names = managementCluster !== undefined ? [managementCluster] : [...this.sources.keys()];
    await Promise.all(
      names.map(async (mc) => {
        try {
          result.items.push(...(await this.lists.load({ mc, gk })));
        } catch (err) {
          result.unavailable.push({ managementCluster: mc, message: (err as Error).message });
        }
      }),
    );
    return result;
  }

  get(address: ObjectAddress): Promise<CapiView | null> {
    return this.gets.load({
      mc: address.managementCluster,
      gk: address,
      namespace: address.namespace,
      name: address.name,
    });
  }

  resolveRef(managementCluster: string, ref: ObjectRef): Promise<CapiView | null> {
    return this.gets.load({ mc: managementCluster, gk: ref, namespace: ref.namespace, name: ref.name });
  }

  async referrers(
    target: CapiView,
    kind: 'Cluster' | 'Machine' | 'MachinePool',
  ): Promise<readonly CapiView[]> {
    const all = await this.lists.load({
      mc: target.address.managementCluster,
      gk: coreKinds[kind],
      namespace: target.address.namespace,
    });
    const key = refKey(target.address);
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
    const views = await this.lists.load({
      mc: owner.address.managementCluster,
      gk: coreKinds[kind],
      namespace: owner.address.namespace,
      labelKey,
      labelValue: owner.address.name,
    });
    // Labels name the owner by name; an ownerReference to an earlier object of that name is not ours.
    const stale = (v: CapiView): boolean =>
      v.owners.some(
        (o) => o.kind === owner.address.kind && o.name === owner.address.name && o.uid !== owner.uid,
      );
    return views.filter((v) => !stale(v)) as ViewByKind[K][];
  }

  /**
   * Machines by the cluster-name label CAPI puts on them (one set-based LIST for many
   * clusters); the few MDs, MPs and MHCs by namespace and spec.clusterName, which they must
   * have, so objects written without the label (no webhook) are found too.
   */
  async ofCluster<K extends ClusterMemberKind>(
    cluster: ClusterView,
    kind: K,
  ): Promise<readonly ViewByKind[K][]> {
    const mc = cluster.address.managementCluster;
    const namespace = cluster.address.namespace;
    const views =
      kind === 'Machine'
        ? await this.lists.load({
            mc,
            gk: coreKinds[kind],
            namespace,
            labelKey: labels.clusterName,
            labelValue: cluster.address.name,
          })
        : await this.lists.load({ mc, gk: coreKinds[kind], namespace });
    return views.filter((v) => v.clusterName === cluster.address.name) as ViewByKind[K][];
  }

  async owner(view: CapiView): Promise<CapiView | null> {
    const ref = view.owners.find((o) => o.controller) ?? view.owners[0];
    if (!ref) return null;
    const found = await this.gets.load({
      mc: view.address.managementCluster,
      gk: ref,
      namespace: view.address.namespace,
      name: ref.name,
    });
    return found?.uid === ref.uid ? found : null;
  }

  async clusterClass(
    managementCluster: string,
    namespace: string,
    name: string,
  ): Promise<ClusterClassView | null> {
    const view = await this.gets.load({ mc: managementCluster, gk: coreKinds.ClusterClass, namespace, name });
    return view?.viewKind === 'ClusterClass' ? view : null;
  }

  async controlPlaneOf(cluster: ClusterView): Promise<ControlPlaneView | null> {
    if (!cluster.controlPlaneRef) return null;
    const view = await this.resolveRef(cluster.address.managementCluster, cluster.controlPlaneRef);
    return view?.viewKind === 'ControlPlane' ? view : null;
  }
}
