/**
 * The bootstrap provider, for KubeadmConfig and any other bootstrap kind: once the Machine owns
 * the config and the cluster is far enough (infrastructure for the first control-plane machine,
 * an initialised control plane for every joining one), writes the bootstrap data Secret and the
 * contract's status fields.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import {
  clusterControlPlaneInitialized,
  clusterInfrastructureProvisioned,
  clusterOf,
  isPaused,
} from './cluster-lookup.ts';
import {
  type EngineContext,
  ownerOfKind,
  ownerReference,
  setConditions,
  updateStatus,
} from './engine-context.ts';
import { LABELS } from './labels.ts';
import type { ResolvedKind } from './object-cache.ts';
import { recordField, stringField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import { MACHINE_POOL_TYPE } from './machine-pool-controller.ts';
import type { ReconcileResult } from './work-queue.ts';
import { bootstrapReadyConditions, bootstrapWaitingConditions } from './condition-builders/provider.ts';

function isInitConfig(config: KubeObject, machine: KubeObject): boolean {
  return (
    machine.metadata.labels?.[LABELS.controlPlane] !== undefined &&
    recordField(config, 'spec.initConfiguration') !== undefined
  );
}

function bootstrapData(machineName: string, version: string | undefined): string {
  // Not a real cloud-init: nothing boots from it. It only has the shape providers expect.
  const text = `## template: jinja\n#cloud-config\n# simulated bootstrap data for ${machineName} (${version ?? 'unknown version'})\nruncmd: []\n`;
  return Buffer.from(text).toString('base64');
}

export async function reconcileBootstrapConfig(
  ctx: EngineContext,
  kind: ResolvedKind,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const config = ctx.cache.informer(kind.type).get(namespace, name);
  if (!config) return;
  if (config.metadata.deletionTimestamp) return;
  // A MachinePool's config is served like a worker Machine's (it joins an initialised control plane).
  const owner = ownerOfKind(config, 'Machine') ?? ownerOfKind(config, 'MachinePool');
  if (!owner) return;
  const ownerType = owner.kind === 'MachinePool' ? MACHINE_POOL_TYPE : TYPES.machine;
  const machine = ctx.cache.informer(ownerType).get(namespace, owner.name);
  if (!machine) return;
  const cluster = clusterOf(ctx, machine);
  if (isPaused(cluster, config)) return;
  const contractV2 = kind.contract === 'v1beta2';
  if (stringField(config, 'status.dataSecretName')) return;
  const init = isInitConfig(config, machine);
  const ready = init ? clusterInfrastructureProvisioned(cluster) : clusterControlPlaneInitialized(cluster);
  if (!ready) {
    if (contractV2) {
      await updateStatus(ctx, kind.type, config, (status) =>
        setConditions(ctx, status, bootstrapWaitingConditions(init), config.metadata.generation),
      );
    }
    return;
  }
  const clusterName = cluster?.metadata.name ?? machine.metadata.labels?.[LABELS.clusterName] ?? '';
  const created = await ctx.client.createSecret({
    metadata: {
      name,
      namespace,
      labels: { [LABELS.clusterName]: clusterName },
      ownerReferences: [ownerReference(config, true)],
    },
    type: 'cluster.x-k8s.io/secret',
    data: {
      value: bootstrapData(
        owner.name,
        stringField(machine, 'spec.version') ?? stringField(machine, 'spec.template.spec.version'),
      ),
      format: Buffer.from('cloud-config').toString('base64'),
    },
  });
  if (!created.ok && created.code !== 409) return { requeueAfterMs: 500 };
  const result = await updateStatus(ctx, kind.type, config, (status) => {
    status.dataSecretName = name;
    if (contractV2) {
      status.initialization = { ...(recordField(status, 'initialization') ?? {}), dataSecretCreated: true };
      setConditions(ctx, status, bootstrapReadyConditions(), config.metadata.generation);
    } else {
      status.ready = true;
    }
  });
  if (result && !result.ok) return { requeueAfterMs: 100 };
}
