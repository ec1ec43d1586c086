/** The `-A`, `-n NS`, `--mc NAME`, `-l SELECTOR` flags as the gateway's ClusterFilter. */
import type { ClusterFilter } from '../../../client/index.ts';

export interface ScopeOptions {
  allNamespaces?: boolean;
  namespace?: string;
  mc?: string;
  selector?: string;
}

/** Without -n, every namespace (the gateway is fleet-wide, unlike kubectl's current context). */
export function clusterFilter(opts: ScopeOptions): ClusterFilter {
  const filter: ClusterFilter = {};
  if (opts.namespace !== undefined && !opts.allNamespaces) filter.namespace = opts.namespace;
  if (opts.mc !== undefined) filter.managementCluster = opts.mc;
  if (opts.selector !== undefined) filter.labelSelector = opts.selector;
  return filter;
}

/** Pages through a connection query until its last page. */
export async function allPages<T>(
  page: (after: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const got = await page(after);
    items.push(...got.items);
    after = got.next;
  } while (after !== undefined);
  return items;
}
