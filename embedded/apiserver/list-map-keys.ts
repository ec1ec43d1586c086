/** Where a CRD's schema declares `x-kubernetes-list-type: map` lists (server-side apply merges them by key). */
import type { ListMapKeys } from './server-side-apply.ts';
import type { ResourceType } from './resource-type.ts';

type SchemaNode = {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
};

const cache = new WeakMap<object, Map<string, ListMapKeys>>();

function rootSchema(rt: ResourceType): SchemaNode | undefined {
  const versions = (
    rt.crd?.['spec'] as { versions?: Array<{ name: string; schema?: { openAPIV3Schema?: SchemaNode } }> }
  )?.versions;
  return versions?.find((v) => v.name === rt.version)?.schema?.openAPIV3Schema;
}

export function listMapKeysFor(rt: ResourceType): ListMapKeys {
  const none: ListMapKeys = () => undefined;
  if (!rt.crd) return none;
  let perVersion = cache.get(rt.crd);
  if (!perVersion) {
    perVersion = new Map();
    cache.set(rt.crd, perVersion);
  }
  const cached = perVersion.get(rt.version);
  if (cached) return cached;
  const root = rootSchema(rt);
  const lookup: ListMapKeys = (path) => {
    let node = root;
    for (const segment of path) {
      // List items add no path segment: step through `items` wherever the schema has a list.
      while (node?.items) node = node.items;
      node = node?.properties?.[segment];
      if (!node) return undefined;
    }
    return node?.['x-kubernetes-list-type'] === 'map' ? node['x-kubernetes-list-map-keys'] : undefined;
  };
  perVersion.set(rt.version, lookup);
  return lookup;
}
