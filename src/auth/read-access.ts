/**
 * What one user may read, as the management clusters' RBAC answers it: per management cluster
 * and kind, `list` in every namespace (one review) or else namespace by namespace (a review
 * per namespace holding objects of that kind). Built before a request runs, so the reader can
 * stay synchronous; refreshed in the background for a long-lived subscription.
 */
import type { AccessReviews } from './access-reviews.ts';
import type { Identity } from './identity.ts';

/** One kind of one management cluster: its API resource and the namespaces its objects are in. */
export interface KindScope {
  group: string;
  kind: string;
  /** The plural the API server's RBAC names (from the CRD). */
  resource: string;
  namespaces: Iterable<string>;
}

export interface ManagementClusterScope {
  managementCluster: string;
  kinds: KindScope[];
}

/** What there is to read now (the caches' kinds and namespaces). */
export type ReadScope = () => ManagementClusterScope[];

export interface ObjectLocation {
  managementCluster: string;
  group: string;
  kind: string;
  namespace: string;
}

/** The synchronous question every read asks. */
export interface ReadAccess {
  allows(location: ObjectLocation): boolean;
}

type Grant = 'everywhere' | ReadonlySet<string>;

const keyOf = (mc: string, group: string, kind: string): string => `${mc}\u0000${group}\u0000${kind}`;

async function grantFor(
  reviews: AccessReviews,
  identity: Identity,
  managementCluster: string,
  scope: KindScope,
): Promise<Grant> {
  const list = (namespace: string) =>
    reviews.allowed({
      managementCluster,
      identity,
      attributes: { verb: 'list', group: scope.group, resource: scope.resource, namespace },
    });
  if (await list('')) return 'everywhere';
  const namespaces = [...scope.namespaces].filter((ns) => ns !== '');
  const answers = await Promise.all(namespaces.map(list));
  return new Set(namespaces.filter((_, i) => answers[i]));
}

async function grantsOf(
  reviews: AccessReviews,
  identity: Identity,
  scope: ManagementClusterScope[],
): Promise<Map<string, Grant>> {
  const entries = await Promise.all(
    scope.flatMap((mc) =>
      mc.kinds.map(
        async (kind) =>
          [
            keyOf(mc.managementCluster, kind.group, kind.kind),
            await grantFor(reviews, identity, mc.managementCluster, kind),
          ] as const,
      ),
    ),
  );
  return new Map(entries);
}

export interface UserReadAccessOptions {
  /** A snapshot older than this is rebuilt in the background when read (default 1 s). */
  refreshAfterMs?: number;
  now?: () => number;
}

export class UserReadAccess implements ReadAccess {
  private grants = new Map<string, Grant>();
  private builtAt = 0;
  private refreshing: Promise<void> | undefined;

  private constructor(
    private readonly identity: Identity,
    private readonly scope: ReadScope,
    private readonly reviews: AccessReviews,
    private readonly options: UserReadAccessOptions,
  ) {}

  /** Built: every review of the current scope answered. */
  static async create(
    identity: Identity,
    scope: ReadScope,
    reviews: AccessReviews,
    options: UserReadAccessOptions = {},
  ): Promise<UserReadAccess> {
    const access = new UserReadAccess(identity, scope, reviews, options);
    await access.refresh();
    return access;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Rebuilds the snapshot (the reviews' own cache answers what it still holds). */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const startedAt = this.now();
      try {
        this.grants = await grantsOf(this.reviews, this.identity, this.scope());
        this.builtAt = startedAt;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  allows(location: ObjectLocation): boolean {
    const grant = this.grants.get(keyOf(location.managementCluster, location.group, location.kind));
    const allowed = grant === 'everywhere' || (grant?.has(location.namespace) ?? false);
    // A kind or namespace that appeared since, or answers grown old: asked again for next time.
    if (this.now() - this.builtAt >= (this.options.refreshAfterMs ?? 1_000))
      void this.refresh().catch(() => {});
    return allowed;
  }
}
