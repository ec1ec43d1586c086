/** Discovery documents (plain JSON; kubectl falls back to them from aggregated discovery). */
import type { ResourceRegistry } from './registry.ts';
import type { ResourceType } from './resource-type.ts';

export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v] as const;
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [1, stability, Number(m[1]), Number(m[3] ?? 0)] as const;
  };
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 4; i++) {
    if (pa[i] !== pb[i]) return (pa[i] as number) > (pb[i] as number) ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resourceEntries(rt: ResourceType): object[] {
  const entries: object[] = [
    {
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs ?? allVerbs,
      ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
      ...(rt.categories.length ? { categories: rt.categories } : {}),
    },
  ];
  if (rt.status) {
    entries.push({
      name: `${rt.plural}/status`,
      singularName: '',
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (rt.scale) {
    entries.push({
      name: `${rt.plural}/scale`,
      singularName: '',
      namespaced: rt.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  return entries;
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(group: string, versions: string[]): object {
  const sorted = [...versions].sort(compareKubeVersions);
  return {
    name: group,
    versions: sorted.map((version) => ({ groupVersion: `${group}/${version}`, version })),
    preferredVersion: { groupVersion: `${group}/${sorted[0]}`, version: sorted[0] },
  };
}

export function apiGroupList(registry: ResourceRegistry): object {
  const groups = [...registry.groups().entries()].filter(([group]) => group !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(([group, versions]) => groupDoc(group, versions)),
  };
}

export function apiGroup(registry: ResourceRegistry, group: string): object {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, registry.groups().get(group) ?? []) };
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): object {
  const groupVersion = group ? `${group}/${version}` : version;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: registry.resourcesOf(groupVersion).flatMap(resourceEntries),
  };
}

/** Group versions in discovery order, for the OpenAPI v3 index. */
export function groupVersions(registry: ResourceRegistry): string[] {
  return [...registry.groups().entries()].flatMap(([group, versions]) =>
    versions.map((v) => (group ? `${group}/${v}` : v)),
  );
}

/** The media type of aggregated discovery (one request for every group instead of one per group version). */
export const aggregatedDiscoveryType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether the client accepts aggregated discovery (v2) before plain JSON. */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  return first.includes('g=apidiscovery.k8s.io') && first.includes('v=v2') && !first.includes('v=v2beta1');
}

function discoveryResource(rt: ResourceType): object {
  const responseKind = { group: rt.group, version: rt.version, kind: rt.kind };
  const subresources: object[] = [];
  if (rt.status)
    subresources.push({ subresource: 'status', responseKind, verbs: ['get', 'patch', 'update'] });
  if (rt.scale) {
    subresources.push({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
  }
  return {
    resource: rt.plural,
    responseKind,
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
    verbs: rt.verbs ?? allVerbs,
    ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories.length ? { categories: rt.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}

/** `/api` (core group only) or `/apis` (every other group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean): object {
  const groups = [...registry.groups().entries()].filter(([group]) => (group === '') === core);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map(([group, versions]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: [...versions].sort(compareKubeVersions).map((version) => ({
        version,
        resources: registry.resourcesOf(group ? `${group}/${version}` : version).map(discoveryResource),
        freshness: 'Current',
      })),
    })),
  };
}
