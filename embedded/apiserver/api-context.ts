/** Everything request handling and the in-server controllers (GC, namespaces) share. */
import type { AdmissionChain } from './admission.ts';
import type { Authorizer } from './auth/authorizer.ts';
import type { ObjectLocks } from './object-locks.ts';
import type { ResourceRegistry } from './registry.ts';
import type { ObjectStore } from './store.ts';

export interface ApiContext {
  store: ObjectStore;
  registry: ResourceRegistry;
  admission: AdmissionChain;
  now: () => Date;
  /** How often watches with allowWatchBookmarks get a BOOKMARK. */
  bookmarkIntervalMs: number;
  /** Serialises read-modify-write requests per object. */
  locks: ObjectLocks;
  /** Asks the garbage collector to look at the dependents of `uid` (and at `uid` itself). */
  enqueueGc: (uid: string) => void;
  /** Evaluates RBAC (set once the server is up; RBAC writes check escalation with it). */
  authorizer?: Authorizer;
  /** Asks the namespace controller to finish deleting `namespace` when it is Terminating. */
  enqueueNamespace: (namespace: string) => void;
}

export function timestamp(ctx: ApiContext): string {
  return ctx
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}
