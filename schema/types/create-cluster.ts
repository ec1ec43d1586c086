import {
  createCluster,
  templateVariables,
  type CreateClusterPayload,
} from '../../resolvers/create-cluster.ts';
import type { TemplateVariable } from '../../src/provisioning/render-template.ts';
import { builder } from '../builder.ts';
import { ClusterRef } from '../refs.ts';
import { mutationErrors } from './cluster-lifecycle.ts';
import { OperationRef } from './operation.ts';

const WorkerInput = builder.inputType('CreateClusterWorkerInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'The worker pool’s name in the topology, e.g. md-0.' }),
    class: t.string({ required: true, description: 'A worker class of the ClusterClass.' }),
    replicas: t.int({ required: true }),
  }),
});

const CreateClusterInput = builder.inputType('CreateClusterInput', {
  description:
    'Either `clusterClass` (a topology Cluster) or `template` (a clusterctl-style template, rendered like ' +
    '`clusterctl generate cluster`: name → CLUSTER_NAME, namespace → NAMESPACE, kubernetesVersion → ' +
    'KUBERNETES_VERSION, controlPlaneReplicas → CONTROL_PLANE_MACHINE_COUNT, one worker’s replicas → WORKER_MACHINE_COUNT).',
  fields: (t) => ({
    managementCluster: t.string({ required: true }),
    namespace: t.string({ required: true }),
    name: t.string({ required: true }),
    clusterClass: t.string(),
    classNamespace: t.string({ description: 'Where the ClusterClass is (default: namespace).' }),
    kubernetesVersion: t.string({ description: 'e.g. v1.31.0; required with clusterClass.' }),
    controlPlaneReplicas: t.int(),
    workers: t.field({ type: [WorkerInput] }),
    variables: t.field({
      type: 'JSON',
      description:
        'ClusterClass variables { name: value } (checked against the class’s schemas), or template variables { KEY: "value" }.',
    }),
    template: t.string({ description: 'Multi-document YAML with ${VARIABLES}.' }),
    dryRun: t.boolean({
      description: 'Render and validate (server-side dry run: admission runs); apply nothing.',
    }),
  }),
});

const CreateClusterPayloadRef = builder.objectRef<CreateClusterPayload>('CreateClusterPayload').implement({
  fields: (t) => ({
    operation: t.field({
      type: OperationRef,
      nullable: true,
      description: 'The operation following CAPI to a running cluster (null for a dry run).',
      resolve: (p) => p.operation,
    }),
    cluster: t.field({ type: ClusterRef, nullable: true, resolve: (p) => p.cluster }),
    manifests: t.field({
      type: ['JSON'],
      description: 'The rendered objects, in the order they are (or would be) applied.',
      resolve: (p) => p.manifests,
    }),
    dryRun: t.exposeBoolean('dryRun'),
  }),
});

builder.mutationField('createCluster', (t) =>
  t.field({
    type: CreateClusterPayloadRef,
    description:
      'Creates a cluster from a ClusterClass or a clusterctl template: everything is checked, then dry-run on the ' +
      'server, then applied (server-side apply, field manager capi-gateway) in dependency order. A create that ' +
      'fails half-way says what it applied; the same request can be sent again.',
    args: { input: t.arg({ type: CreateClusterInput, required: true }) },
    errors: { types: mutationErrors, directResult: true, union: { name: 'CreateClusterResult' } },
    resolve: (_root, { input }, ctx) =>
      createCluster(ctx, {
        ...input,
        variables: (input.variables ?? null) as Record<string, unknown> | null,
      }),
  }),
);

const TemplateVariableRef = builder.objectRef<TemplateVariable>('TemplateVariable').implement({
  description: 'A variable a clusterctl template uses.',
  fields: (t) => ({
    name: t.exposeString('name'),
    defaultValue: t.string({ nullable: true, resolve: (v) => v.defaultValue ?? null }),
    required: t.exposeBoolean('required', { description: 'True when the template has no default for it.' }),
  }),
});

builder.queryField('templateVariables', (t) =>
  t.field({
    type: [TemplateVariableRef],
    description: 'The variables of a clusterctl-style template, with their defaults (`--list-variables`).',
    args: { template: t.arg.string({ required: true }) },
    resolve: (_root, args) => templateVariables(args.template),
  }),
);
