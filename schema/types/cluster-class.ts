import { clusterClasses } from '../../resolvers/clusters.ts';
import { refAsRole } from '../../resolvers/objects.ts';
import type { ClusterClassVariableView, ClusterClassView, WorkerClassView } from '../../src/capi/views.ts';
import { builder } from '../builder.ts';
import { CapiObjectRef, ClusterClassRef, ProviderTemplateRef } from '../refs.ts';
import { itemsReportingUnavailable } from '../unavailable.ts';
import { nodeId } from './object-kinds.ts';

const VariableRef = builder.objectRef<ClusterClassVariableView>('ClusterClassVariable').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    required: t.exposeBoolean('required'),
    schema: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The openAPIV3Schema.',
      resolve: (v) => v.schema,
    }),
  }),
});

const WorkerClassRef = builder
  .objectRef<WorkerClassView & { clusterClass: ClusterClassView }>('WorkerClass')
  .implement({
    fields: (t) => ({
      type: t.exposeString('type', { description: 'MachineDeployment or MachinePool.' }),
      class: t.exposeString('class'),
      infrastructureTemplate: t.field({
        type: ProviderTemplateRef,
        nullable: true,
        resolve: (w, _args, ctx) => refAsRole(ctx, w.clusterClass, w.infrastructureTemplateRef, 'Template'),
      }),
      bootstrapTemplate: t.field({
        type: ProviderTemplateRef,
        nullable: true,
        resolve: (w, _args, ctx) => refAsRole(ctx, w.clusterClass, w.bootstrapTemplateRef, 'Template'),
      }),
    }),
  });

builder.node(ClusterClassRef, {
  interfaces: [CapiObjectRef],
  id: nodeId,
  fields: (t) => ({
    variables: t.field({ type: [VariableRef], resolve: (cc) => cc.variables }),
    workerClasses: t.field({
      type: [WorkerClassRef],
      resolve: (cc) => cc.workerClasses.map((w) => ({ ...w, clusterClass: cc })),
    }),
    kubernetesVersions: t.exposeStringList('kubernetesVersions'),
  }),
});

builder.queryFields((t) => ({
  clusterClasses: t.field({
    type: [ClusterClassRef],
    description:
      'ClusterClasses of every (or one) management cluster; unreachable ones are reported in `errors`.',
    args: { managementCluster: t.arg.string(), namespace: t.arg.string() },
    resolve: (_root, args, ctx, info) =>
      itemsReportingUnavailable(clusterClasses(ctx, args.managementCluster, args.namespace), ctx, info),
  }),
}));
