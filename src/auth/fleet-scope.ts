/** What there is to read on each reachable management cluster: its cached kinds and their namespaces. */
import type { Fleet } from '../capi/fleet.ts';
import type { GroupKind } from '../k8s/kube-object.ts';
import type { KindScope, ManagementClusterScope, ReadScope } from './read-access.ts';

/** Kinds kept outside the caches (the operations' store): their namespaces per management cluster. */
export interface ExtraKind extends GroupKind {
  namespaces(managementCluster: string): Iterable<string>;
}

export function fleetScope(fleet: Fleet, extraKinds: readonly ExtraKind[] = []): ReadScope {
  return () =>
    fleet.caches
      .filter((cache) => fleet.reader.availability(cache.name) === null)
      .map((cache): ManagementClusterScope => {
        const kinds: KindScope[] = [];
        for (const gk of cache.kinds()) {
          const crd = cache.connection.crd(gk);
          const store = cache.store(gk);
          if (crd && store) kinds.push({ ...gk, resource: crd.plural, namespaces: store.namespaces() });
        }
        for (const extra of extraKinds) {
          const crd = cache.connection.crd(extra);
          if (crd)
            kinds.push({
              group: extra.group,
              kind: extra.kind,
              resource: crd.plural,
              namespaces: extra.namespaces(cache.name),
            });
        }
        return { managementCluster: cache.name, kinds };
      });
}
