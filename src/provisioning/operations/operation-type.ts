import type { CacheFleetReader } from '../../capi/cache-reader.ts';
import type { ManagementClusterCache } from '../../capi/management-cluster-cache.ts';
import type { ObjectAddress } from '../../capi/views.ts';
import type { Result } from '../../k8s/domain-error.ts';
import type { KubeWriter } from '../../k8s/kube-writer.ts';
import type { OperationRecord, StepStatus } from './operation-record.ts';

/** What a step's check concludes from the management cluster's state. */
export type StepOutcome =
  | { state: 'done'; message?: string }
  /** `progress`: 0..1 within the step, from what the cluster reports (never from a timer). */
  | { state: 'waiting'; message: string; progress?: number }
  | { state: 'failed'; message: string };

export const done = (message?: string): StepOutcome => ({ state: 'done', ...(message ? { message } : {}) });
export const waiting = (message: string, progress?: number): StepOutcome => ({
  state: 'waiting',
  message,
  ...(progress === undefined ? {} : { progress: Math.max(0, Math.min(1, progress)) }),
});
export const failed = (message: string): StepOutcome => ({ state: 'failed', message });

/** What an action reports back, kept in the step's status. */
export interface StepActed {
  /** metadata.generation of the object written: checks wait for observedGeneration to reach it. */
  writtenGeneration?: number;
  /** Child operations the action started (kept in the parent's status.children). */
  children?: ObjectAddress[];
  message?: string;
}

/** A request to record a new operation (the driver of its management cluster then runs it). */
export interface StartOperationRequest {
  managementCluster: string;
  namespace: string;
  type: string;
  target: ObjectAddress | null;
  input: Record<string, unknown>;
  requestedBy: string;
  /**
   * The requester's groups, recorded when the gateway authenticated them: the driver then
   * writes as requestedBy with these groups (impersonation). Absent without authentication.
   */
  requestedGroups?: readonly string[];
  parent?: ObjectAddress;
  /** A fixed name makes starting idempotent (children of a resumed parent); default: generated. */
  name?: string;
}

/** What steps may see of the other operations and management clusters (children, fleet operations). */
export interface OperationsAccess {
  get(address: ObjectAddress): OperationRecord | null;
  startOperation(request: StartOperationRequest): Promise<Result<OperationRecord>>;
  cache(managementCluster: string): ManagementClusterCache | undefined;
}

export interface StepContext {
  operation: OperationRecord;
  /** This step's status as persisted (acted, writtenGeneration, …). */
  step: StepStatus;
  /** The management cluster the operation lives in: its caches, always current. */
  cache: ManagementClusterCache;
  /** The whole fleet's caches, as queries read them (synchronous: ofCluster, owned, resolveRef, …). */
  reader: CacheFleetReader;
  /**
   * The write verbs acting as the operation's requester (impersonating requestedBy and
   * requestedGroups, so the API server applies the user's RBAC), or the gateway's own for an
   * operation recorded without authentication (see operation-actor.ts). Steps write only
   * through this; the gateway's bookkeeping (Operation objects, Leases) does not.
   */
  writer: KubeWriter;
  operations: OperationsAccess;
  now(): Date;
}

/**
 * One named step. `act` (optional) performs the step's write, once, when the step becomes
 * current; it must be idempotent (a driver that dies between the write and persisting it
 * writes again after the restart). `check` reads the management cluster's state and says
 * done / waiting / failed; it runs on every change event and resync until it is done.
 */
export interface OperationStep {
  name: string;
  act?(ctx: StepContext): Promise<Result<StepActed | void>>;
  check(ctx: StepContext): StepOutcome | Promise<StepOutcome>;
}

/**
 * A kind of operation: its steps, as a function of the operation so they can depend on its
 * input (an upgrade across two minors has a control-plane step per minor). It must return the
 * same steps for the same operation: a resumed driver finds its place by the step names.
 */
export interface OperationType {
  name: string;
  steps(operation: OperationRecord): readonly OperationStep[];
}
