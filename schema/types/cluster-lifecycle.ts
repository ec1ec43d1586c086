import {
  deleteClusterMutation,
  pauseCluster,
  resumeCluster,
  type ClusterOperationPayload,
} from '../../resolvers/cluster-lifecycle.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../../resolvers/errors.ts';
import { builder } from '../builder.ts';
import { ClusterRef } from '../refs.ts';
import { OperationRef } from './operation.ts';

/** The error types every mutation may answer (schema/types/errors.ts). */
export const mutationErrors = [
  ValidationError,
  NotFoundError,
  ConflictError,
  ForbiddenError,
  UnavailableError,
];

export const ClusterOperationPayloadRef = builder
  .objectRef<ClusterOperationPayload>('ClusterOperationPayload')
  .implement({
    description: 'A change to one Cluster: the operation tracking it, and the Cluster as the change left it.',
    fields: (t) => ({
      operation: t.field({ type: OperationRef, resolve: (p) => p.operation }),
      cluster: t.field({
        type: ClusterRef,
        nullable: true,
        description: 'The Cluster right after the write (null once it is gone).',
        resolve: (p) => p.cluster,
      }),
    }),
  });

function clusterMutation(
  name: string,
  description: string,
  resolve: (ctx: Parameters<typeof pauseCluster>[0], id: string) => Promise<ClusterOperationPayload>,
) {
  builder.mutationField(name, (t) =>
    t.field({
      type: ClusterOperationPayloadRef,
      description,
      args: { id: t.arg.id({ required: true, description: 'The Cluster’s global ID.' }) },
      errors: {
        types: mutationErrors,
        directResult: true,
        union: { name: `${name[0]!.toUpperCase()}${name.slice(1)}Result` },
      },
      resolve: (_root, args, ctx) => resolve(ctx, String(args.id)),
    }),
  );
}

clusterMutation(
  'pauseCluster',
  'Pauses reconciliation of the Cluster and everything it owns (spec.paused). The operation ends when CAPI reports Paused.',
  pauseCluster,
);
clusterMutation(
  'resumeCluster',
  'Resumes reconciliation: clears spec.paused and the cluster.x-k8s.io/paused annotation (which pauses whatever its value).',
  resumeCluster,
);
clusterMutation(
  'deleteCluster',
  'Deletes the Cluster; CAPI removes workers, then the control plane, then the infrastructure. The operation follows each.',
  deleteClusterMutation,
);
