/**
 * What every day-2 mutation does first: turn the global ID it was given into the object the
 * caches hold (typed errors for a malformed, foreign or stale ID), find its workload Cluster,
 * and — once the change is written — record the Operation that follows it.
 */
import { clusterOf as clusterOfView } from '../src/capi/cluster-of.ts';
import type { CapiView, ClusterView, ObjectAddress } from '../src/capi/views.ts';
import type { DomainError } from '../src/k8s/domain-error.ts';
import { writesOf, type ManagementClusterWrites } from '../src/provisioning/management-cluster-writes.ts';
import { isTerminal, type OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import {
  defaultProvisioningLimits,
  type ProvisioningLimits,
} from '../src/provisioning/provisioning-limits.ts';
import type { GatewayContext } from './context.ts';
import { toGraphQLError } from './domain-errors.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { decodeGlobalId } from './global-id.ts';
import { assertAvailable } from './objects.ts';
import { operationsOf } from './operations.ts';
import { requesterOf } from './record-operation.ts';

type ViewKind = CapiView['viewKind'];
export type ViewOf<K extends ViewKind> = Extract<CapiView, { viewKind: K }>;

const describe = (a: ObjectAddress): string =>
  `${a.kind} ${a.namespace}/${a.name} on '${a.managementCluster}'`;

/**
 * The object an ID names, of the kind the mutation changes. A malformed ID or one naming
 * another kind is a ValidationError on `path`; an object that no longer exists (or a
 * management cluster not configured) is a NotFoundError.
 */
export async function targetView<K extends ViewKind>(
  ctx: GatewayContext,
  id: string,
  kind: K,
  path = 'id',
  accept: (view: ViewOf<K>) => boolean = () => true,
): Promise<ViewOf<K>> {
  const address = decodeGlobalId(id);
  if (!address)
    throw new ValidationError(`${path} is not an ID this gateway issued`, [
      { path, message: 'not a global ID' },
    ]);
  if (!ctx.reader.managementCluster(address.managementCluster))
    throw new NotFoundError(
      describe(address),
      `no management cluster named '${address.managementCluster}' is configured`,
    );
  assertAvailable(ctx.reader, address.managementCluster);
  const view = await ctx.reader.get(address);
  if (!view) throw new NotFoundError(describe(address));
  if (view.viewKind !== kind || !accept(view as ViewOf<K>))
    throw new ValidationError(`${path} names a ${address.kind}, not a ${kind}`, [
      { path, message: `expected the ID of a ${kind}` },
    ]);
  return view as ViewOf<K>;
}

/** The workload Cluster an object belongs to (null when the walk finds none). */
export async function clusterOf(ctx: GatewayContext, view: CapiView): Promise<ClusterView | null> {
  if (view.viewKind === 'Cluster') return view;
  return (await clusterOfView(ctx.reader, view)) ?? null;
}

export function writesFor(ctx: GatewayContext, managementCluster: string): ManagementClusterWrites {
  const cache = operationsOf(ctx).cache(managementCluster);
  if (!cache) throw new NotFoundError(`management cluster '${managementCluster}'`);
  return writesOf(cache.connection, cache.connection.writerAs(ctx.identity));
}

export function limitsOf(ctx: GatewayContext): ProvisioningLimits {
  return ctx.provisioningLimits ?? defaultProvisioningLimits;
}

/** A DomainError from a write, as the GraphQL error the mutation answers. */
export function fail(error: DomainError, what: string): never {
  throw toGraphQLError(error, what);
}

/** Refuses a change while an operation of one of `types` is still running on `target`. */
export function assertNoRunningOperation(
  ctx: GatewayContext,
  target: ObjectAddress,
  types: readonly string[],
): void {
  const running = operationsOf(ctx)
    .list()
    .find(
      (op) =>
        types.includes(op.type) &&
        !isTerminal(op) &&
        op.target?.managementCluster === target.managementCluster &&
        op.target.namespace === target.namespace &&
        op.target.kind === target.kind &&
        op.target.name === target.name,
    );
  if (running)
    throw new ConflictError(
      `${running.type} operation ${running.address.name} is still ${running.status.phase.toLowerCase()} on ${target.kind} ${target.name}`,
    );
}

/** Records the operation that follows a change (in the changed object's namespace). */
export async function startOperation(
  ctx: GatewayContext,
  type: string,
  target: CapiView,
  input: Record<string, unknown>,
): Promise<OperationRecord> {
  const started = await operationsOf(ctx).startOperation({
    managementCluster: target.address.managementCluster,
    namespace: target.address.namespace,
    type,
    target: target.address,
    input,
    ...requesterOf(ctx),
  });
  if (!started.ok) fail(started.error, `the ${type} operation`);
  await recorded(ctx, started.value);
  return started.value;
}

/**
 * Read-your-writes: answers once the operation store's watch shows the new operation, so the
 * caller's next request (another upgrade of the same cluster) sees it running. Bounded: a slow
 * watch delays the answer, never fails it.
 */
async function recorded(ctx: GatewayContext, op: OperationRecord, timeoutMs = 5_000): Promise<void> {
  const store = operationsOf(ctx).store(op.address.managementCluster);
  const seen = () => store?.get(op.address.namespace, op.address.name) !== undefined;
  if (!store || seen()) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const off = store.onChange(() => {
      if (seen()) done();
    });
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}
