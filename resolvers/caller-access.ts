/**
 * The caller's Kubernetes RBAC for a change the gateway makes later on their behalf (an
 * operation's driver writes with the gateway's own credentials): asked now, as a
 * SubjectAccessReview, so a user cannot start what they could not do themselves.
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
