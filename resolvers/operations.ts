import type { CapiView, ObjectAddress } from '../src/capi/views.ts';
import type { FleetOperations } from '../src/provisioning/operations/fleet-operations.ts';
import {
  isTerminal,
  type OperationPhase,
  type OperationRecord,
} from '../src/provisioning/operations/operation-record.ts';
import { operationKind } from '../src/provisioning/operations/operation-crd.ts';
import type { GatewayContext } from './context.ts';
import { toGraphQLError } from './domain-errors.ts';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from './errors.ts';
import { decodeGlobalId, encodeGlobalId } from './global-id.ts';
import { pageOf, type Page, type PageArgs } from './pagination.ts';
import { assertAllowed } from './caller-access.ts';

export interface OperationFilter {
  managementCluster?: string | null;
  namespace?: string | null;
  types?: readonly string[] | null;
  phases?: readonly OperationPhase[] | null;
  /** Operations on this object (a global ID as queries return it). */
  targetId?: string | null;
  requestedBy?: string | null;
  /** false: only operations started by a caller, not the children of another. */
  includeChildren?: boolean | null;
}

export function operationsOf(ctx: GatewayContext): FleetOperations {
  if (!ctx.operations) throw new UnavailableError('this gateway does not run operations');
  return ctx.operations;
}

export function isOperationAddress(address: ObjectAddress): boolean {
  return address.group === operationKind.group && address.kind === operationKind.kind;
}

/** Whether the caller may list operations in its namespace (always, without authentication). */
function visible(ctx: GatewayContext) {
  return (op: OperationRecord): boolean => !ctx.access || ctx.access.allows(op.address);
}

/** The operation at `address` as the caller may see it: one they may not list answers as missing. */
export function readOperation(ctx: GatewayContext, address: ObjectAddress): OperationRecord | null {
  const op = ctx.operations?.get(address) ?? null;
  return op && visible(ctx)(op) ? op : null;
}

/** `operation(id)`: null for an ID naming no operation this gateway knows. */
export function operation(ctx: GatewayContext, id: string): OperationRecord | null {
  const address = decodeGlobalId(id);
  if (!address || !isOperationAddress(address)) return null;
  return readOperation(ctx, address);
}

function sameAddress(a: ObjectAddress | null, b: ObjectAddress): boolean {
  return (
    !!a &&
    a.managementCluster === b.managementCluster &&
    a.group === b.group &&
    a.kind === b.kind &&
    a.namespace === b.namespace &&
    a.name === b.name
  );
}

function matches(filter: OperationFilter | null | undefined, target: ObjectAddress | null) {
  return (op: OperationRecord): boolean => {
    if (!filter) return true;
    if (filter.managementCluster && op.address.managementCluster !== filter.managementCluster) return false;
    if (filter.namespace && op.address.namespace !== filter.namespace) return false;
    if (filter.types?.length && !filter.types.includes(op.type)) return false;
    if (filter.phases?.length && !filter.phases.includes(op.status.phase)) return false;
    if (filter.requestedBy && op.requestedBy !== filter.requestedBy) return false;
    if (filter.includeChildren === false && op.parent) return false;
    if (target && !sameAddress(op.target, target)) return false;
    return true;
  };
}

const MAX_TIME = 9_999_999_999_999;

/** Newest first, stable across pages: the inverted creation time, then the address. */
function historyKey(op: OperationRecord): string {
  const created = op.createdAt ? Date.parse(op.createdAt) : 0;
  const inverted = String(MAX_TIME - (Number.isFinite(created) ? created : 0)).padStart(13, '0');
  return `${inverted}/${op.address.managementCluster}/${op.address.namespace}/${op.address.name}`;
}

/** `operations(filter, first, after)`: the history, newest first. */
export function operationsConnection(
  ctx: GatewayContext,
  args: PageArgs & { filter?: OperationFilter | null },
): Page<OperationRecord> {
  let target: ObjectAddress | null = null;
  if (args.filter?.targetId) {
    target = decodeGlobalId(args.filter.targetId);
    if (!target)
      throw new ValidationError('filter.targetId is not an ID this gateway issued', [
        { path: 'filter.targetId', message: 'not a global ID' },
      ]);
  }
  const all = (ctx.operations?.list() ?? []).filter(visible(ctx));
  return pageOf(all.filter(matches(args.filter, target)), historyKey, args);
}

/** What the operation changes, as `node` resolves it (null once it is gone). */
export function targetOf(ctx: GatewayContext, op: OperationRecord): CapiView | null {
  if (!op.target) return null;
  if (!ctx.reader.managementCluster(op.target.managementCluster)) return null;
  if (ctx.reader.availability(op.target.managementCluster)) return null;
  return ctx.reader.get(op.target);
}

export function childrenOf(ctx: GatewayContext, op: OperationRecord): OperationRecord[] {
  return op.status.children
    .map((address) => readOperation(ctx, address))
    .filter((child): child is OperationRecord => child !== null);
}

export function parentOf(ctx: GatewayContext, op: OperationRecord): OperationRecord | null {
  return op.parent ? readOperation(ctx, op.parent) : null;
}

export function operationId(op: OperationRecord): string {
  return encodeGlobalId(op.address);
}

export function targetIdOf(op: OperationRecord): string | null {
  return op.target ? encodeGlobalId(op.target) : null;
}

/** `cancelOperation(id)`: the driver stops it at its next pass, never in the middle of a write. */
export async function cancelOperation(
  ctx: GatewayContext,
  id: string,
): Promise<{ operation: OperationRecord }> {
  const operations = operationsOf(ctx);
  const address = decodeGlobalId(id);
  if (!address || !isOperationAddress(address))
    throw new ValidationError('id is not the ID of an operation', [
      { path: 'id', message: 'not an Operation ID' },
    ]);
  const op = readOperation(ctx, address);
  if (!op)
    throw new NotFoundError(
      `Operation ${address.namespace}/${address.name} on '${address.managementCluster}'`,
    );
  if (isTerminal(op)) throw new ConflictError(`the operation has already finished (${op.status.phase})`);
  await assertAllowed(ctx, 'patch', op.address);
  const requested = await operations.requestCancel(op);
  if (!requested.ok) throw toGraphQLError(requested.error, `Operation ${address.namespace}/${address.name}`);
  return { operation: requested.value };
}
