/** Maps a request path to a discovery endpoint or a resource (type, namespace, name, subresource). */
import type { ResourceRegistry } from './registry.ts';
import type { ResourceType } from './resource-type.ts';

export type Route =
  | { type: 'root' | 'version' | 'health' | 'api' | 'apis' | 'openapiv3' | 'openapiv2' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'openapiv3Doc'; groupVersion: string }
  | {
      type: 'resource';
      rt: ResourceType;
      /** Set for namespaced paths; undefined for cluster-scoped or all-namespaces requests. */
      namespace?: string;
      name?: string;
      subresource?: string;
    }
  | { type: 'notFound' };

const healthPaths = new Set(['healthz', 'readyz', 'livez']);

export function resolveRoute(pathname: string, registry: ResourceRegistry): Route {
  let segments: string[];
  try {
    segments = pathname
      .split('/')
      .filter((s) => s.length > 0)
      .map(decodeURIComponent);
  } catch {
    return { type: 'notFound' };
  }
  const [first, ...rest] = segments;
  if (first === undefined) return { type: 'root' };
  if (first === 'version' && rest.length === 0) return { type: 'version' };
  if (healthPaths.has(first)) return { type: 'health' };
  if (first === 'openapi') {
    if (rest[0] === 'v2' && rest.length === 1) return { type: 'openapiv2' };
    if (rest[0] === 'v3' && rest.length === 1) return { type: 'openapiv3' };
    if (rest[0] === 'v3' && rest[1] === 'api' && rest.length === 3)
      return { type: 'openapiv3Doc', groupVersion: rest[2]! };
    if (rest[0] === 'v3' && rest[1] === 'apis' && rest.length === 4) {
      return { type: 'openapiv3Doc', groupVersion: `${rest[2]}/${rest[3]}` };
    }
    return { type: 'notFound' };
  }
  if (first === 'api') {
    if (rest.length === 0) return { type: 'api' };
    const [version, ...tail] = rest as [string, ...string[]];
    if (!registry.hasGroupVersion('', version)) return { type: 'notFound' };
    if (tail.length === 0) return { type: 'groupVersion', group: '', version };
    return resourceRoute(registry, '', version, tail);
  }
  if (first === 'apis') {
    if (rest.length === 0) return { type: 'apis' };
    const [group, version, ...tail] = rest as [string, string | undefined, ...string[]];
    if (version === undefined) {
      return registry.groups().has(group) && group !== '' ? { type: 'group', group } : { type: 'notFound' };
    }
    if (!registry.hasGroupVersion(group, version)) return { type: 'notFound' };
    if (tail.length === 0) return { type: 'groupVersion', group, version };
    return resourceRoute(registry, group, version, tail);
  }
  return { type: 'notFound' };
}

function resourceRoute(registry: ResourceRegistry, group: string, version: string, tail: string[]): Route {
  // /namespaces/{ns}/{plural}[/{name}[/{sub}]] — unless it addresses the Namespace itself.
  if (
    tail[0] === 'namespaces' &&
    tail.length >= 3 &&
    group === '' &&
    !['status', 'finalize'].includes(tail[2]!)
  ) {
    return namespacedRoute(registry, group, version, tail);
  }
  if (tail[0] === 'namespaces' && tail.length >= 3 && group !== '') {
    return namespacedRoute(registry, group, version, tail);
  }
  const [plural, name, subresource, ...extra] = tail as [string, string?, string?, ...string[]];
  const rt = registry.lookup(group, version, plural);
  if (!rt || extra.length > 0) return { type: 'notFound' };
  if (rt.namespaced && name !== undefined) return { type: 'notFound' };
  return {
    type: 'resource',
    rt,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

function namespacedRoute(registry: ResourceRegistry, group: string, version: string, tail: string[]): Route {
  const [, namespace, plural, name, subresource, ...extra] = tail as [
    string,
    string,
    string,
    string?,
    string?,
    ...string[],
  ];
  const rt = registry.lookup(group, version, plural);
  if (!rt || !rt.namespaced || extra.length > 0) return { type: 'notFound' };
  return {
    type: 'resource',
    rt,
    namespace,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}
