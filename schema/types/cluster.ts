import { clustersConnection, kubernetesVersionOf, type ClusterPage } from '../../resolvers/clusters.ts';
import {
  ManagementClusterUnavailableError,
  NotFoundError,
  UnknownManagementClusterError,
} from '../../resolvers/errors.ts';
import {
  cluster,
  clusterClassOf,
  filterMachines,
  ofCluster,
  refAsControlPlane,
  refAsRole,
} from '../../resolvers/objects.ts';
import { clusterKubeconfig } from '../../resolvers/kubeconfig.ts';
import type { ClusterView, ReplicaCounters, VersionCount } from '../../src/capi/views.ts';
import { builder } from '../builder.ts';
import {
  CapiObjectRef,
  ClusterClassRef,
  ClusterRef,
  ControlPlaneRef,
  InfrastructureClusterRef,
  MachineDeploymentRef,
  MachineHealthCheckRef,
  MachinePoolRef,
  MachineRef,
} from '../refs.ts';
import { reportUnavailable } from '../unavailable.ts';
import { ClusterFilterInput, ClusterOrderInput, MachineFilterInput } from './inputs.ts';
import { ManagementClusterProblemRef } from './management-cluster.ts';
import { nodeId } from './object-kinds.ts';
import { ClusterPhaseEnum } from './phases.ts';
import { replicaCounterFields } from './replica-counters.ts';

export const EndpointRef = builder
  .objectRef<{ host: string; port: number }>('APIEndpoint')
  .implement({ fields: (t) => ({ host: t.exposeString('host'), port: t.exposeInt('port') }) });

const VersionCountRef = builder.objectRef<VersionCount>('VersionCount').implement({
  fields: (t) => ({
    version: t.exposeString('version'),
    replicas: t.exposeInt('replicas', { description: 'How many replicas run this version.' }),
  }),
});

export const ReplicaSummaryRef = builder
  .objectRef<ReplicaCounters & { versions: VersionCount[] }>('ReplicaSummary')
  .implement({
    fields: (t) => ({
      ...replicaCounterFields(t),
      versions: t.field({ type: [VersionCountRef], resolve: (s) => s.versions }),
    }),
  });

const ClusterSummaryRef = builder.objectRef<ClusterView>('ClusterSummary').implement({
  fields: (t) => ({
    controlPlane: t.field({ type: ReplicaSummaryRef, resolve: (c) => c.controlPlaneStatus }),
    workers: t.field({ type: ReplicaSummaryRef, resolve: (c) => c.workersStatus }),
  }),
});

type Topology = NonNullable<ClusterView['topology']> & { cluster: ClusterView };

const TopologyVariableRef = builder
  .objectRef<{ name: string; value: unknown }>('TopologyVariable')
  .implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      value: t.field({ type: 'JSON', nullable: true, resolve: (v) => v.value }),
    }),
  });

const TopologyRef = builder.objectRef<Topology>('ClusterTopology').implement({
  fields: (t) => ({
    class: t.string({ resolve: (tp) => tp.classRef.name }),
    classNamespace: t.string({ resolve: (tp) => tp.classRef.namespace }),
    version: t.exposeString('version', { nullable: true }),
    variables: t.field({ type: [TopologyVariableRef], resolve: (tp) => tp.variables }),
    clusterClass: t.field({
      type: ClusterClassRef,
      nullable: true,
      resolve: (tp, _args, ctx) => clusterClassOf(ctx, tp.cluster),
    }),
  }),
});

builder.node(ClusterRef, {
  interfaces: [CapiObjectRef],
  id: nodeId,
  description: 'A workload cluster (cluster.x-k8s.io Cluster).',
  fields: (t) => ({
    phase: t.expose('phase', { type: ClusterPhaseEnum, nullable: true }),
    paused: t.exposeBoolean('paused'),
    kubernetesVersion: t.string({
      nullable: true,
      resolve: (c, _args, ctx) => kubernetesVersionOf(ctx, c),
    }),
    controlPlaneEndpoint: t.field({
      type: EndpointRef,
      nullable: true,
      resolve: (c) => c.controlPlaneEndpoint,
    }),
    topology: t.field({
      type: TopologyRef,
      nullable: true,
      resolve: (c) => (c.topology ? { ...c.topology, cluster: c } : null),
    }),
    kubeconfig: t.string({
      nullable: true,
      description:
        "The workload cluster's admin kubeconfig (CAPI's `<name>-kubeconfig` Secret): only for a caller " +
        'the management cluster allows to `get` that Secret (else a FORBIDDEN error), recorded as a ' +
        'ReadKubeconfig operation; null while the Secret does not exist. Not served in subscriptions.',
      resolve: (c, _args, ctx, info) => clusterKubeconfig(ctx, c, info),
    }),
    infrastructureProvisioned: t.exposeBoolean('infrastructureProvisioned'),
    controlPlaneInitialized: t.exposeBoolean('controlPlaneInitialized'),
    controlPlane: t.field({
      type: ControlPlaneRef,
      nullable: true,
      resolve: (c, _args, ctx) => refAsControlPlane(ctx, c, c.controlPlaneRef),
    }),
    infrastructureCluster: t.field({
      type: InfrastructureClusterRef,
      nullable: true,
      resolve: (c, _args, ctx) => refAsRole(ctx, c, c.infrastructureRef, 'InfrastructureCluster'),
    }),
    machineDeployments: t.field({
      type: [MachineDeploymentRef],
      resolve: (c, _args, ctx) => ofCluster(ctx, c, 'MachineDeployment'),
    }),
    machinePools: t.field({
      type: [MachinePoolRef],
      resolve: (c, _args, ctx) => ofCluster(ctx, c, 'MachinePool'),
    }),
    machines: t.field({
      type: [MachineRef],
      args: { filter: t.arg({ type: MachineFilterInput }) },
      resolve: (c, args, ctx) => filterMachines(ofCluster(ctx, c, 'Machine'), args.filter),
    }),
    machineHealthChecks: t.field({
      type: [MachineHealthCheckRef],
      resolve: (c, _args, ctx) => ofCluster(ctx, c, 'MachineHealthCheck'),
    }),
    summary: t.field({ type: ClusterSummaryRef, resolve: (c) => c }),
  }),
});

builder.queryFields((t) => ({
  clusters: t.connection(
    {
      type: ClusterRef,
      description:
        'The clusters matching `filter` across every management cluster, a page at a time: by management ' +
        'cluster, namespace and name, or by `orderBy` (sorted on the server). A cursor is valid only ' +
        'with the `orderBy` it was made with (else CURSOR_ORDER_MISMATCH).',
      args: {
        filter: t.arg({ type: ClusterFilterInput }),
        orderBy: t.arg({ type: ClusterOrderInput }),
      },
      resolve: (_root, args, ctx, info) => reportUnavailable(clustersConnection(ctx, args), ctx, info),
    },
    {
      name: 'ClusterConnection',
      fields: (tc) => ({
        totalCount: tc.int({
          description: 'How many clusters match the filter, on every page together.',
          resolve: (c) => (c as unknown as ClusterPage).totalCount,
        }),
        errors: tc.field({
          type: [ManagementClusterProblemRef],
          description:
            'Management clusters that could not answer (their clusters are missing from this page).',
          resolve: (c) => (c as unknown as ClusterPage).unavailable,
        }),
      }),
    },
  ),
  cluster: t.field({
    type: ClusterRef,
    args: {
      managementCluster: t.arg.string({ required: true }),
      namespace: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
    },
    errors: {
      types: [NotFoundError, ManagementClusterUnavailableError, UnknownManagementClusterError],
      directResult: true,
      union: { name: 'ClusterResult' },
    },
    resolve: (_root, args, ctx) => cluster(ctx, args.managementCluster, args.namespace, args.name),
  }),
}));
