import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import { matchesLabelSelector, parseLabelSelector } from '../../../src/k8s/label-selector.ts';
import type {
  KubeTransport,
  ListOptions,
  ListPage,
  ResourceTarget,
  WatchEvent,
  WatchHandle,
} from '../../../src/k8s/kube-transport.ts';

interface Watcher {
  target: ResourceTarget;
  onEvent: (event: WatchEvent) => void;
  onDone: (err: unknown) => void;
}

export interface FakeKind {
  group: string;
  kind: string;
  plural: string;
  version: string;
  contract?: string;
}

const refused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

/**
 * An in-memory API server for the caches: CRDs for the kinds it is given, list with
 * pagination, watches that can be broken, expired (410) or refused — and a count of requests.
 */
export class FakeTransport implements KubeTransport {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Set<Watcher>();
  private rv = 1;
  down = false;
  requests = { list: 0, get: 0, watch: 0 };
  /** Plurals whose lists wait (as on a slow API server) until `releaseLists` is called. */
  private readonly held = new Map<string, Array<() => void>>();

  private readonly kinds: FakeKind[] = [];

  constructor(kinds: FakeKind[]) {
    for (const k of kinds) this.installCrd(k);
  }

  /** Installs a CRD (as `kubectl apply` of a provider's CRDs would), telling CRD watchers. */
  installCrd(k: FakeKind): void {
    if (!this.kinds.includes(k)) this.kinds.push(k);
    this.put({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: `${k.plural}.${k.group}`,
        uid: `crd-${k.plural}`,
        labels: k.contract ? { 'cluster.x-k8s.io/v1beta2': k.contract } : {},
      },
      spec: {
        group: k.group,
        names: { kind: k.kind, plural: k.plural },
        scope: 'Namespaced',
        versions: [{ name: k.version, served: true, storage: true }],
      },
    });
  }

  /** Deletes a CRD: its objects go with it (as the real server deletes them). */
  uninstallCrd(k: FakeKind): void {
    this.objects.delete(this.keyOf(k));
    const crd = this.objects
      .get('apiextensions.k8s.io/customresourcedefinitions')
      ?.get(`/${k.plural}.${k.group}`);
    if (crd) this.delete(crd);
    this.kinds.splice(this.kinds.indexOf(k), 1);
  }

  private keyOf(target: Pick<ResourceTarget, 'group' | 'plural'>): string {
    return `${target.group}/${target.plural}`;
  }

  private targetKeyOfObject(object: KubeObject): string {
    if (object.kind === 'CustomResourceDefinition') return 'apiextensions.k8s.io/customresourcedefinitions';
    const group = object.apiVersion.split('/')[0]!;
    const kind = this.kinds.find((k) => k.kind === object.kind && k.group === group);
    if (!kind) throw new Error(`fake transport: unknown kind ${object.kind}`);
    return this.keyOf(kind);
  }

  /** Creates or replaces an object and tells the watchers. */
  put(object: KubeObject): KubeObject {
    const key = this.targetKeyOfObject(object);
    let bucket = this.objects.get(key);
    if (!bucket) this.objects.set(key, (bucket = new Map()));
    const name = `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    const existed = bucket.has(name);
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.rv) } };
    bucket.set(name, stored);
    this.notify(key, existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  delete(object: KubeObject): void {
    const key = this.targetKeyOfObject(object);
    const name = `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    const old = this.objects.get(key)?.get(name);
    if (!old) return;
    this.objects.get(key)!.delete(name);
    this.notify(key, 'DELETED', {
      ...old,
      metadata: { ...old.metadata, resourceVersion: String(++this.rv) },
    });
  }

  private notify(key: string, type: string, object: KubeObject): void {
    for (const w of this.watchers) if (this.keyOf(w.target) === key) w.onEvent({ type, object });
  }

  /** Ends every watch the way a restarted API server whose history is gone does. */
  expireWatches(): void {
    for (const w of [...this.watchers]) {
      w.onEvent({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
      this.watchers.delete(w);
      w.onDone(null);
    }
  }

  /** Breaks every watch connection with a network error. */
  breakWatches(): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.onDone(refused());
    }
  }

  get activeWatches(): number {
    return this.watchers.size;
  }

  /** From now on, lists of `plural` wait until `releaseLists(plural)`. */
  holdLists(plural: string): void {
    if (!this.held.has(plural)) this.held.set(plural, []);
  }

  releaseLists(plural: string): void {
    const waiting = this.held.get(plural) ?? [];
    this.held.delete(plural);
    for (const release of waiting) release();
  }

  async list(target: ResourceTarget, options: ListOptions): Promise<ListPage> {
    this.requests.list++;
    const waiting = this.held.get(target.plural);
    if (waiting) await new Promise<void>((resolve) => waiting.push(resolve));
    if (this.down) throw refused();
    // Label selectors as the real server reads them (the one parser in src/k8s); a bad one is a 400.
    const selector = parseLabelSelector(options.labelSelector ?? '');
    if (!selector.ok) throw Object.assign(new Error(selector.error), { statusCode: 400 });
    const all = [...(this.objects.get(this.keyOf(target))?.values() ?? [])].filter(
      (o) =>
        (!options.namespace || o.metadata.namespace === options.namespace) &&
        matchesLabelSelector(selector.selector, o.metadata.labels),
    );
    const start = Number(options.continueToken ?? 0);
    const end = options.limit ? start + options.limit : all.length;
    return {
      items: all.slice(start, end),
      resourceVersion: String(this.rv),
      continueToken: end < all.length ? String(end) : undefined,
    };
  }

  async get(target: ResourceTarget, namespace: string | undefined, name: string): Promise<KubeObject> {
    this.requests.get++;
    if (this.down) throw refused();
    const found = this.objects.get(this.keyOf(target))?.get(`${namespace ?? ''}/${name}`);
    if (!found) throw Object.assign(new Error('Not Found'), { statusCode: 404 });
    return found;
  }

  /** Changes an object without any watch event, as if it happened while nobody watched. */
  silentlyDelete(object: KubeObject): void {
    this.objects
      .get(this.targetKeyOfObject(object))
      ?.delete(`${object.metadata.namespace ?? ''}/${object.metadata.name}`);
    this.rv++;
  }

  async watch(
    target: ResourceTarget,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onDone: (err: unknown) => void,
  ): Promise<WatchHandle> {
    this.requests.watch++;
    if (this.down) {
      onDone(refused());
      return { abort: () => undefined };
    }
    // No event history here: a watch from an older resourceVersion gets 410 Gone, as from a
    // server whose history window has passed.
    if (resourceVersion && Number(resourceVersion) < this.rv) {
      queueMicrotask(() => {
        onEvent({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
        onDone(null);
      });
      return { abort: () => undefined };
    }
    const watcher: Watcher = { target, onEvent, onDone };
    this.watchers.add(watcher);
    return {
      abort: () => {
        if (this.watchers.delete(watcher)) onDone(null);
      },
    };
  }
}

export const capiFakeKinds: FakeKind[] = [
  { group: 'cluster.x-k8s.io', kind: 'Cluster', plural: 'clusters', version: 'v1beta2' },
  { group: 'cluster.x-k8s.io', kind: 'ClusterClass', plural: 'clusterclasses', version: 'v1beta2' },
  { group: 'cluster.x-k8s.io', kind: 'MachineDeployment', plural: 'machinedeployments', version: 'v1beta2' },
  { group: 'cluster.x-k8s.io', kind: 'MachineSet', plural: 'machinesets', version: 'v1beta2' },
  { group: 'cluster.x-k8s.io', kind: 'MachinePool', plural: 'machinepools', version: 'v1beta2' },
  { group: 'cluster.x-k8s.io', kind: 'Machine', plural: 'machines', version: 'v1beta2' },
  {
    group: 'cluster.x-k8s.io',
    kind: 'MachineHealthCheck',
    plural: 'machinehealthchecks',
    version: 'v1beta2',
  },
  {
    group: 'controlplane.cluster.x-k8s.io',
    kind: 'KubeadmControlPlane',
    plural: 'kubeadmcontrolplanes',
    version: 'v1beta2',
    contract: 'v1beta2',
  },
  {
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'DockerMachine',
    plural: 'dockermachines',
    version: 'v1beta2',
    contract: 'v1beta2',
  },
  {
    group: 'infrastructure.cluster.x-k8s.io',
    kind: 'DockerCluster',
    plural: 'dockerclusters',
    version: 'v1beta2',
    contract: 'v1beta2',
  },
];
