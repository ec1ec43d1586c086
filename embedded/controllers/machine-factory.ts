/**
 * Creating a Machine with its own InfrastructureMachine and bootstrap config, cloned from the
 * templates its owner (MachineSet or KubeadmControlPlane) points at — the way CAPI's controllers
 * do, with the cloned-from annotations, the machine's labels and the Machine as controller owner.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { type EngineContext, createObject, ownerReference } from './engine-context.ts';
import { CLONED_FROM_GROUPKIND, CLONED_FROM_NAME } from './machine-up-to-date.ts';
import { type JsonRecord, recordField, stringField, stringMapField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';

export interface ObjectRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export type BootstrapSource =
  | { template: ObjectRef }
  /** KubeadmControlPlane: the config spec comes from the KCP itself. */
  | { kubeadmConfigSpec: JsonRecord }
  | { dataSecretName: string };

export interface MachineBlueprint {
  namespace: string;
  name: string;
  clusterName: string;
  version?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  owner: KubeObject;
  infrastructureTemplate: ObjectRef;
  bootstrap: BootstrapSource;
  /** Extra Machine spec fields (deletion timeouts, readinessGates, failureDomain, ...). */
  spec?: JsonRecord;
}

export type FactoryResult = { ok: true } | { ok: false; reason: string; message: string; retryMs: number };

export function readObjectRef(value: unknown, path: string): ObjectRef | undefined {
  const ref = recordField(value, path);
  const apiGroup = stringField(ref, 'apiGroup');
  const kind = stringField(ref, 'kind');
  const name = stringField(ref, 'name');
  return apiGroup && kind && name ? { apiGroup, kind, name } : undefined;
}

function lookupTemplate(
  ctx: EngineContext,
  namespace: string,
  ref: ObjectRef,
): { ok: true; template: KubeObject } | { ok: false; reason: string; message: string; retryMs: number } {
  const found = ctx.cache.getRef(ref.apiGroup, ref.kind, namespace, ref.name);
  const key = `${ref.apiGroup}/${ref.kind}/${namespace}/${ref.name}`;
  if (found.state === 'found') {
    ctx.missing.found(key);
    return { ok: true, template: found.object };
  }
  if (found.state === 'pending')
    return { ok: false, reason: 'Waiting', message: `Reading ${ref.kind} ${ref.name}`, retryMs: 200 };
  return {
    ok: false,
    reason: 'TemplateNotFound',
    message: `${ref.kind} ${namespace}/${ref.name} does not exist`,
    retryMs: ctx.missing.retryMs(key),
  };
}

function cloneFromTemplate(
  template: KubeObject,
  ref: ObjectRef,
  blueprint: MachineBlueprint,
  machine: KubeObject,
  kindVersion: string,
): KubeObject {
  return {
    apiVersion: `${ref.apiGroup}/${kindVersion}`,
    kind: ref.kind.replace(/Template$/, ''),
    metadata: {
      name: blueprint.name,
      namespace: blueprint.namespace,
      labels: { ...stringMapField(template, 'spec.template.metadata.labels'), ...blueprint.labels },
      annotations: {
        ...stringMapField(template, 'spec.template.metadata.annotations'),
        [CLONED_FROM_NAME]: ref.name,
        [CLONED_FROM_GROUPKIND]: `${ref.kind}.${ref.apiGroup}`,
      },
      ownerReferences: [ownerReference(machine, true)],
    },
    spec: structuredClone(recordField(template, 'spec.template.spec') ?? {}),
  };
}

/**
 * True when a machine's InfraMachine or bootstrap config is missing: its owner was stopped (a
 * restart, kill -9) between creating the Machine and creating them, and must finish the job.
 */
export function machineChildrenMissing(ctx: EngineContext, machine: KubeObject): boolean {
  return ['spec.infrastructureRef', 'spec.bootstrap.configRef'].some((path) => {
    const ref = readObjectRef(machine, path);
    return (
      ref !== undefined &&
      ctx.cache.getRef(ref.apiGroup, ref.kind, machine.metadata.namespace, ref.name).state === 'missing'
    );
  });
}

/** Creates whichever of the machine's InfraMachine and bootstrap config do not exist yet. */
export async function createMachineChildren(
  ctx: EngineContext,
  machine: KubeObject,
  blueprint: MachineBlueprint,
): Promise<FactoryResult> {
  const infraTemplate = lookupTemplate(ctx, blueprint.namespace, blueprint.infrastructureTemplate);
  if (!infraTemplate.ok) return infraTemplate;
  const infraKind = ctx.cache.resolve(
    blueprint.infrastructureTemplate.apiGroup,
    blueprint.infrastructureTemplate.kind.replace(/Template$/, ''),
  );
  if (!infraKind)
    return {
      ok: false,
      reason: 'KindNotFound',
      message: `No CRD serves ${blueprint.infrastructureTemplate.kind.replace(/Template$/, '')}`,
      retryMs: ctx.missing.retryMs(
        `kind:${blueprint.infrastructureTemplate.apiGroup}/${blueprint.infrastructureTemplate.kind}`,
      ),
    };
  const infra = cloneFromTemplate(
    infraTemplate.template,
    blueprint.infrastructureTemplate,
    blueprint,
    machine,
    infraKind.type.version,
  );
  const created = await createObject(ctx, infraKind.type, infra);
  // CAPI's MachinesCreated reasons (v1beta1) for a clone the API server refuses.
  if (!created.ok && created.code !== 409)
    return {
      ok: false,
      reason: 'InfrastructureTemplateCloningFailed',
      message: created.message,
      retryMs: 1_000,
    };

  if ('template' in blueprint.bootstrap) {
    const ref = blueprint.bootstrap.template;
    const bootstrapTemplate = lookupTemplate(ctx, blueprint.namespace, ref);
    if (!bootstrapTemplate.ok) return bootstrapTemplate;
    const configKind = ctx.cache.resolve(ref.apiGroup, ref.kind.replace(/Template$/, ''));
    if (!configKind)
      return {
        ok: false,
        reason: 'KindNotFound',
        message: `No CRD serves ${ref.kind.replace(/Template$/, '')}`,
        retryMs: ctx.missing.retryMs(`kind:${ref.apiGroup}/${ref.kind}`),
      };
    const config = cloneFromTemplate(
      bootstrapTemplate.template,
      ref,
      blueprint,
      machine,
      configKind.type.version,
    );
    const result = await createObject(ctx, configKind.type, config);
    if (!result.ok && result.code !== 409)
      return { ok: false, reason: 'BootstrapTemplateCloningFailed', message: result.message, retryMs: 1_000 };
  } else if ('kubeadmConfigSpec' in blueprint.bootstrap) {
    const config: KubeObject = {
      apiVersion: `${TYPES.kubeadmConfig.group}/${TYPES.kubeadmConfig.version}`,
      kind: 'KubeadmConfig',
      metadata: {
        name: blueprint.name,
        namespace: blueprint.namespace,
        labels: { ...blueprint.labels },
        ownerReferences: [ownerReference(machine, true)],
      },
      spec: blueprint.bootstrap.kubeadmConfigSpec,
    };
    const result = await createObject(ctx, TYPES.kubeadmConfig, config);
    if (!result.ok && result.code !== 409)
      return { ok: false, reason: 'CreateFailed', message: result.message, retryMs: 1_000 };
  }
  return { ok: true };
}

export function bootstrapRefFor(blueprint: MachineBlueprint): JsonRecord {
  if ('dataSecretName' in blueprint.bootstrap) return { dataSecretName: blueprint.bootstrap.dataSecretName };
  if ('kubeadmConfigSpec' in blueprint.bootstrap) {
    return {
      configRef: { apiGroup: TYPES.kubeadmConfig.group, kind: 'KubeadmConfig', name: blueprint.name },
    };
  }
  const ref = blueprint.bootstrap.template;
  return {
    configRef: { apiGroup: ref.apiGroup, kind: ref.kind.replace(/Template$/, ''), name: blueprint.name },
  };
}

/** Creates the Machine, then its children; the owner's next reconcile finishes what failed. */
export async function createMachine(ctx: EngineContext, blueprint: MachineBlueprint): Promise<FactoryResult> {
  // Check the templates first so a missing one leaves no half-made machine behind.
  const infraCheck = lookupTemplate(ctx, blueprint.namespace, blueprint.infrastructureTemplate);
  if (!infraCheck.ok) return infraCheck;
  if ('template' in blueprint.bootstrap) {
    const check = lookupTemplate(ctx, blueprint.namespace, blueprint.bootstrap.template);
    if (!check.ok) return check;
  }
  const machine: KubeObject = {
    apiVersion: `${TYPES.machine.group}/${TYPES.machine.version}`,
    kind: 'Machine',
    metadata: {
      name: blueprint.name,
      namespace: blueprint.namespace,
      labels: blueprint.labels,
      ...(blueprint.annotations ? { annotations: blueprint.annotations } : {}),
      ownerReferences: [ownerReference(blueprint.owner, true)],
    },
    spec: {
      ...blueprint.spec,
      clusterName: blueprint.clusterName,
      ...(blueprint.version ? { version: blueprint.version } : {}),
      bootstrap: bootstrapRefFor(blueprint),
      infrastructureRef: {
        apiGroup: blueprint.infrastructureTemplate.apiGroup,
        kind: blueprint.infrastructureTemplate.kind.replace(/Template$/, ''),
        name: blueprint.name,
      },
    },
  };
  const created = await createObject(ctx, TYPES.machine, machine);
  if (!created.ok) return { ok: false, reason: 'CreateFailed', message: created.message, retryMs: 1_000 };
  return createMachineChildren(ctx, created.value, blueprint);
}
