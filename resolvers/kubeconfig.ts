/**
 * `Cluster.kubeconfig`: the workload cluster's admin credentials (CAPI's `<cluster>-kubeconfig`
 * Secret), handed out only to a caller the management cluster allows to `get` that Secret
 * (SubjectAccessReview, then the read itself impersonating them), and only once the read is in
 * the operations history. Read on every request, never kept, never logged.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { ClusterView } from '../src/capi/views.ts';
import {
  READ_KUBECONFIG,
  kubeconfigSecretKey,
  kubeconfigSecretName,
  secretsTarget,
} from '../src/provisioning/kubeconfig-access.ts';
import type { GatewayContext } from './context.ts';
import { toGraphQLError } from './domain-errors.ts';
import { ForbiddenError, InvalidInputError } from './errors.ts';
import { operationsOf } from './operations.ts';
import { recordOperation } from './record-operation.ts';

async function assertMayGetSecret(ctx: GatewayContext, cluster: ClusterView, name: string): Promise<void> {
  if (!ctx.access) return;
  const { managementCluster, namespace } = cluster.address;
  const allowed = await ctx.access.can(managementCluster, {
    verb: 'get',
    group: '',
    resource: 'secrets',
    namespace,
    name,
  });
  if (!allowed)
    throw new ForbiddenError(
      `${ctx.identity?.user ?? 'the caller'} may not get Secret ${namespace}/${name} on '${managementCluster}'`,
    );
}

function kubeconfigOf(secret: Record<string, unknown>): string | null {
  const encoded = (secret['data'] as Record<string, unknown> | undefined)?.[kubeconfigSecretKey];
  return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : null;
}

export async function clusterKubeconfig(
  ctx: GatewayContext,
  cluster: ClusterView,
  info: GraphQLResolveInfo,
): Promise<string | null> {
  // A subscription would read (and record) it on every change, and keep it to compare results.
  if (info.operation.operation === 'subscription')
    throw new InvalidInputError('kubeconfig', 'not served in subscriptions: query it');
  const name = kubeconfigSecretName(cluster.address.name);
  await assertMayGetSecret(ctx, cluster, name);
  const cache = operationsOf(ctx).cache(cluster.address.managementCluster);
  if (!cache) return null;
  const read = await cache.connection
    .writerAs(ctx.identity)
    .read(secretsTarget, { namespace: cluster.address.namespace, name });
  if (!read.ok) {
    if (read.error.code === 'NOT_FOUND') return null;
    throw toGraphQLError(read.error, `Secret ${cluster.address.namespace}/${name}`);
  }
  const kubeconfig = kubeconfigOf(read.value);
  if (kubeconfig === null) return null;
  await recordOperation(ctx, {
    managementCluster: cluster.address.managementCluster,
    namespace: cluster.address.namespace,
    type: READ_KUBECONFIG,
    target: cluster.address,
    input: { cluster: cluster.address.name, secret: name },
  });
  return kubeconfig;
}
