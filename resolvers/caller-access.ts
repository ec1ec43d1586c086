/**
 * The caller's Kubernetes RBAC for a change an operation makes later on their behalf: asked now,
 * as a SubjectAccessReview, so the mutation answers ForbiddenError at once. It is only the early
 * answer: the driver's writes impersonate the caller, and the API server decides each of them.
 */
import type { ObjectAddress } from '../src/capi/views.ts';
import type { GatewayContext } from './context.ts';
import { ForbiddenError } from './errors.ts';

/** Resolves when the caller may `verb` the object (always, without authentication); ForbiddenError otherwise. */
export async function assertAllowed(
  ctx: GatewayContext,
  verb: string,
  address: ObjectAddress,
): Promise<void> {
  if (!ctx.access) return;
  const resource = ctx.operations?.cache(address.managementCluster)?.connection.crd(address)?.plural;
  const allowed =
    resource !== undefined &&
    (await ctx.access.can(address.managementCluster, {
      verb,
      group: address.group,
      resource,
      namespace: address.namespace,
      name: address.name,
    }));
  if (!allowed)
    throw new ForbiddenError(
      `${ctx.identity?.user ?? 'the caller'} may not ${verb} ${address.kind} ${address.namespace}/${address.name} on '${address.managementCluster}'`,
    );
}
