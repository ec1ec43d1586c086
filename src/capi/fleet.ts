import type { ConnectionOptions } from '../k8s/management-cluster-connection.ts';
import { connectManagementCluster, type ManagementClusterAddress } from '../k8s/connect.ts';
import type { Result } from '../k8s/domain-error.ts';
import { CacheFleetReader } from './cache-reader.ts';
import { ManagementClusterCache } from './management-cluster-cache.ts';

/** The caches of every configured management cluster and the reader over them. */
export interface Fleet {
  caches: ManagementClusterCache[];
  reader: CacheFleetReader;
  start(): void;
  stop(): Promise<void>;
  /** Resolves true once every management cluster has synced, false after `timeoutMs`. */
  whenSynced(timeoutMs: number): Promise<boolean>;
}

export function fleetOf(caches: ManagementClusterCache[]): Fleet {
  return {
    caches,
    reader: new CacheFleetReader(caches),
    start: () => caches.forEach((c) => c.start()),
    stop: async () => {
      await Promise.all(caches.map((c) => c.stop()));
    },
    whenSynced: async (timeoutMs) =>
      (await Promise.all(caches.map((c) => c.connection.whenSynced(timeoutMs)))).every(Boolean),
  };
}

export function createFleet(
  addresses: ManagementClusterAddress[],
  options: ConnectionOptions = {},
): Result<Fleet> {
  const caches: ManagementClusterCache[] = [];
  for (const address of addresses) {
    const connection = connectManagementCluster(address, options);
    if (!connection.ok) return connection;
    caches.push(new ManagementClusterCache(connection.value));
  }
  return { ok: true, value: fleetOf(caches) };
}
