/**
 * The hand conversion of a provider's clusterctl template from CAPI v1beta1 to v1beta2 that a
 * user of the embedded cluster must do today (it serves CAPI kinds at v1beta2 only, while a real
 * v1.14 management cluster also serves v1beta1 and converts). Covers what the CAPA/CAPG
 * templates use: refs, kubeadm extraArgs, MachineDeployment/MachinePool, MachineHealthCheck.
 */
import type { ManifestObject } from './provider-manifests.ts';

const CAPI_V1BETA1 = new Set([
  'cluster.x-k8s.io/v1beta1',
  'controlplane.cluster.x-k8s.io/v1beta1',
  'bootstrap.cluster.x-k8s.io/v1beta1',
  'addons.cluster.x-k8s.io/v1beta1',
]);

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function contractRef(ref: unknown): Json | undefined {
  const r = record(ref);
  if (!r) return undefined;
  return { apiGroup: String(r.apiVersion ?? '').split('/')[0], kind: r.kind, name: r.name };
}

function argList(args: unknown): unknown {
  const map = record(args);
  return map ? Object.entries(map).map(([name, value]) => ({ name, value: String(value) })) : args;
}

/** A Go duration such as `20m` or `1h30m` in whole seconds. */
function goSeconds(duration: unknown): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const [, amount, unit] of String(duration).matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g))
    total += Number(amount) * units[unit!]!;
  return Math.round(total);
}

function kubeadmSpec(spec: unknown): void {
  const s = record(spec);
  if (!s) return;
  const cluster = record(s.clusterConfiguration);
  for (const component of ['apiServer', 'controllerManager', 'scheduler']) {
    const c = record(cluster?.[component]);
    if (c?.extraArgs) c.extraArgs = argList(c.extraArgs);
  }
  // v1beta2 moved apiServer.timeoutForControlPlane (a duration) to initConfiguration.timeouts (seconds).
  const apiServer = record(cluster?.apiServer);
  if (apiServer?.timeoutForControlPlane !== undefined) {
    const init = (s.initConfiguration ??= {}) as Json;
    const timeouts = (init.timeouts ??= {}) as Json;
    timeouts.controlPlaneComponentHealthCheckSeconds = goSeconds(apiServer.timeoutForControlPlane);
    delete apiServer.timeoutForControlPlane;
    if (Object.keys(apiServer).length === 0) delete cluster!.apiServer;
  }
  for (const phase of ['initConfiguration', 'joinConfiguration']) {
    const registration = record(record(s[phase])?.nodeRegistration);
    if (registration?.kubeletExtraArgs)
      registration.kubeletExtraArgs = argList(registration.kubeletExtraArgs);
  }
}

function machineTemplateRefs(templateSpec: Json | undefined): void {
  if (!templateSpec) return;
  const bootstrap = record(templateSpec.bootstrap);
  if (bootstrap?.configRef) bootstrap.configRef = contractRef(bootstrap.configRef);
  templateSpec.infrastructureRef = contractRef(templateSpec.infrastructureRef);
}

const seconds = (duration: unknown): number => Number(String(duration).replace(/s$/, ''));

function healthCheckSpec(spec: Json): Json {
  const conditions = Array.isArray(spec.unhealthyConditions) ? (spec.unhealthyConditions as Json[]) : [];
  return {
    clusterName: spec.clusterName,
    selector: spec.selector,
    checks: {
      unhealthyNodeConditions: conditions.map((c) => ({
        type: c.type,
        status: c.status,
        timeoutSeconds: seconds(c.timeout),
      })),
      ...(spec.nodeStartupTimeout ? { nodeStartupTimeoutSeconds: seconds(spec.nodeStartupTimeout) } : {}),
    },
    ...(spec.maxUnhealthy
      ? { remediation: { triggerIf: { unhealthyLessThanOrEqualTo: spec.maxUnhealthy } } }
      : {}),
  };
}

export function toV1beta2(objects: readonly ManifestObject[]): ManifestObject[] {
  return objects.map((original) => {
    if (!CAPI_V1BETA1.has(original.apiVersion)) return original;
    const object = structuredClone(original);
    object.apiVersion = object.apiVersion.replace(/v1beta1$/, 'v1beta2');
    const spec = object.spec ?? {};
    switch (object.kind) {
      case 'Cluster':
        spec.controlPlaneRef = contractRef(spec.controlPlaneRef);
        spec.infrastructureRef = contractRef(spec.infrastructureRef);
        break;
      case 'KubeadmControlPlane': {
        const machineTemplate = record(spec.machineTemplate) ?? {};
        const infrastructureRef = contractRef(machineTemplate.infrastructureRef);
        delete machineTemplate.infrastructureRef;
        machineTemplate.spec = { infrastructureRef };
        kubeadmSpec(spec.kubeadmConfigSpec);
        break;
      }
      case 'KubeadmConfigTemplate':
        kubeadmSpec(record(spec.template)?.spec);
        break;
      case 'KubeadmConfig':
        kubeadmSpec(spec);
        break;
      case 'MachineDeployment':
      case 'MachinePool': {
        machineTemplateRefs(record(record(spec.template)?.spec));
        const selector = record(spec.selector);
        if (selector && selector.matchLabels === null) selector.matchLabels = {};
        break;
      }
      case 'MachineHealthCheck':
        object.spec = healthCheckSpec(spec);
        break;
    }
    return object;
  });
}
