import { resolveRef } from '../../resolvers/objects.ts';
import type { ClusterClassVariableView, ClusterClassView, WorkerClassView } from '../../src/capi/views.ts';
import { builder } from '../builder.ts';
import { CapiObjectRef } from '../refs.ts';
import { ClusterClassRef, ProviderTemplateRef } from '../refs.ts';
import { isProviderRole, nodeId, viewKindIs } from './object-kinds.ts';
import { chain } from '../../resolvers/maybe-promise.ts';

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
        resolve: (w, _args, ctx) =>
          chain(resolveRef(ctx, w.clusterClass, w.infrastructureTemplateRef), (x) =>
            x && isProviderRole(x, 'Template') ? x : null,
          ),
      }),
      bootstrapTemplate: t.field({
        type: ProviderTemplateRef,
        nullable: true,
        resolve: (w, _args, ctx) =>
          chain(resolveRef(ctx, w.clusterClass, w.bootstrapTemplateRef), (x) =>
            x && isProviderRole(x, 'Template') ? x : null,
          ),
      }),
    }),
  });

builder.node(ClusterClassRef, {
  interfaces: [CapiObjectRef],
  isTypeOf: viewKindIs('ClusterClass'),
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
