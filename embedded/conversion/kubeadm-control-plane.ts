/**
 * KubeadmControlPlane and KubeadmControlPlaneTemplate: machineTemplate.infrastructureRef and the
 * node*Timeouts move under machineTemplate.spec, rolloutStrategy/rolloutAfter/rolloutBefore →
 * rollout.*, remediationStrategy → remediation (…Seconds), machineNamingStrategy → machineNaming,
 * the KubeadmConfigSpec mapping, and the status counters / initialized ⇄ initialization.
 */
import type { ConversionContext } from '../apiserver/conversion.ts';
import { fromSeconds, toSeconds } from './durations.ts';
import { kindConverter } from './kind-converter.ts';
import { child, dropEmpty, objectAt, put, take, type Json } from './json.ts';
import {
  kubeadmConfigSpecToV1beta1,
  kubeadmConfigSpecToV1beta2,
  kubeadmLossyPaths,
} from './kubeadm-config-spec.ts';
import { deletionToTimeouts, timeoutsToDeletion } from './machine-spec.ts';
import { replicaCounters } from './machine-set.ts';
import { fromContractRef, toContractRef } from './refs.ts';

const controlPlane = 'controlplane.cluster.x-k8s.io';
const machineTemplateFields = ['readinessGates', 'taints'];

function controlPlaneSpecToV1beta2(spec: Json): Json {
  const machineTemplate = objectAt(spec['machineTemplate']);
  if (machineTemplate) {
    const inner = child(machineTemplate, 'spec');
    if (machineTemplate['infrastructureRef'] !== undefined)
      inner['infrastructureRef'] = toContractRef(take(machineTemplate, 'infrastructureRef'));
    timeoutsToDeletion(machineTemplate, inner);
    for (const field of machineTemplateFields) put(inner, field, take(machineTemplate, field));
    dropEmpty(machineTemplate, 'spec');
  }
  if (spec['kubeadmConfigSpec'] !== undefined)
    spec['kubeadmConfigSpec'] = kubeadmConfigSpecToV1beta2(child(spec, 'kubeadmConfigSpec'));
  const rollout: Json = {};
  put(rollout, 'after', take(spec, 'rolloutAfter'));
  put(rollout, 'before', take(spec, 'rolloutBefore'));
  put(rollout, 'strategy', take(spec, 'rolloutStrategy'));
  if (Object.keys(rollout).length) spec['rollout'] = rollout;
  const remediationStrategy = objectAt(take(spec, 'remediationStrategy'));
  if (remediationStrategy) {
    const remediation: Json = {};
    put(remediation, 'maxRetry', remediationStrategy['maxRetry']);
    put(remediation, 'retryPeriodSeconds', toSeconds(remediationStrategy['retryPeriod']));
    put(remediation, 'minHealthyPeriodSeconds', toSeconds(remediationStrategy['minHealthyPeriod']));
    spec['remediation'] = remediation;
  }
  put(spec, 'machineNaming', take(spec, 'machineNamingStrategy'));
  return spec;
}

function controlPlaneSpecToV1beta1(
  spec: Json,
  namespace: string | undefined,
  context: ConversionContext,
): Json {
  const machineTemplate = objectAt(spec['machineTemplate']);
  const inner = objectAt(machineTemplate ? take(machineTemplate, 'spec') : undefined);
  if (machineTemplate && inner) {
    if (inner['infrastructureRef'] !== undefined)
      machineTemplate['infrastructureRef'] = fromContractRef(inner['infrastructureRef'], namespace, context);
    deletionToTimeouts(inner, machineTemplate);
    for (const field of machineTemplateFields) put(machineTemplate, field, inner[field]);
  }
  const kubeadmConfigSpec = objectAt(spec['kubeadmConfigSpec']);
  if (kubeadmConfigSpec) spec['kubeadmConfigSpec'] = kubeadmConfigSpecToV1beta1(kubeadmConfigSpec);
  const rollout = objectAt(take(spec, 'rollout'));
  put(spec, 'rolloutAfter', rollout?.['after']);
  put(spec, 'rolloutBefore', rollout?.['before']);
  put(spec, 'rolloutStrategy', rollout?.['strategy']);
  const remediation = objectAt(take(spec, 'remediation'));
  if (remediation) {
    const strategy: Json = {};
    put(strategy, 'maxRetry', remediation['maxRetry']);
    put(strategy, 'retryPeriod', fromSeconds(remediation['retryPeriodSeconds']));
    put(strategy, 'minHealthyPeriod', fromSeconds(remediation['minHealthyPeriodSeconds']));
    spec['remediationStrategy'] = strategy;
  }
  put(spec, 'machineNamingStrategy', take(spec, 'machineNaming'));
  return spec;
}

export const kubeadmControlPlaneConverter = kindConverter({
  group: controlPlane,
  kind: 'KubeadmControlPlane',
  specToV1beta2: controlPlaneSpecToV1beta2,
  specToV1beta1: (spec, object, context) =>
    controlPlaneSpecToV1beta1(spec, object.metadata.namespace, context),
  status: {
    deprecated: [
      'failureReason',
      'failureMessage',
      'readyReplicas',
      'updatedReplicas',
      'unavailableReplicas',
    ],
    underV1beta2: replicaCounters,
    initialization: { controlPlaneInitialized: 'initialized' },
  },
  statusToV1beta2: (status) => {
    delete status['ready'];
    const last = objectAt(status['lastRemediation']);
    if (last) put(last, 'time', take(last, 'timestamp'));
  },
  statusToV1beta1: (status) => {
    // v1beta1 `ready`: at least one control plane machine is ready (CAPI's own rule for it).
    if (typeof status['readyReplicas'] === 'number') status['ready'] = status['readyReplicas'] > 0;
    const last = objectAt(status['lastRemediation']);
    if (last) put(last, 'timestamp', take(last, 'time'));
  },
  lossy: kubeadmLossyPaths(['spec', 'kubeadmConfigSpec']),
});

export const kubeadmControlPlaneTemplateConverter = kindConverter({
  group: controlPlane,
  kind: 'KubeadmControlPlaneTemplate',
  specToV1beta2: (spec) => {
    const template = child(spec, 'template');
    template['spec'] = controlPlaneSpecToV1beta2(child(template, 'spec'));
    return spec;
  },
  specToV1beta1: (spec, object, context) => {
    const template = objectAt(spec['template']);
    const inner = objectAt(template?.['spec']);
    if (template && inner)
      template['spec'] = controlPlaneSpecToV1beta1(inner, object.metadata.namespace, context);
    return spec;
  },
  lossy: kubeadmLossyPaths(['spec', 'template', 'spec', 'kubeadmConfigSpec']),
});
