/** Routes as paths (the gateway answers any non-API path with the page): a tiny history router. */
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'fleet' }
  | { page: 'cluster'; managementCluster: string; namespace: string; name: string }
  | { page: 'operations'; id?: string }
  | { page: 'create' }
  | { page: 'missing'; path: string };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'fleet' };
  if (parts[0] === 'clusters' && parts.length === 4)
    return { page: 'cluster', managementCluster: parts[1]!, namespace: parts[2]!, name: parts[3]! };
  if (parts[0] === 'operations')
    return parts[1] ? { page: 'operations', id: parts[1] } : { page: 'operations' };
  if (parts[0] === 'create' && parts.length === 1) return { page: 'create' };
  return { page: 'missing', path };
}

export function clusterPath(managementCluster: string, namespace: string, name: string): string {
  return `/clusters/${[managementCluster, namespace, name].map(encodeURIComponent).join('/')}`;
}

export function operationPath(id: string): string {
  return `/operations/${encodeURIComponent(id)}`;
}

export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const onPop = (): void => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return route;
}
