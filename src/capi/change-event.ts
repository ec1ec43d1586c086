import type { ChangeType } from '../k8s/kind-cache.ts';
import type { CapiView, ObjectAddress } from './views.ts';

export type { ChangeType };

/**
 * One change of one cached object, as subscriptions and operation progress see it: the views
 * before and after (normalised, never raw objects), and where the object lives.
 */
export interface CacheChangeEvent {
  type: ChangeType;
  managementCluster: string;
  /** The object's address (group, kind, namespace, name). */
  address: ObjectAddress;
  /** null for ADDED. */
  old: CapiView | null;
  /** null for DELETED. */
  new: CapiView | null;
  resourceVersion: string;
  /** The workload Cluster the object belongs to, if any (the Cluster itself for a Cluster). */
  cluster: ObjectAddress | null;
}

export type CacheChangeListener = (event: CacheChangeEvent) => void;
