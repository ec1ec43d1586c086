/**
 * MachineDeployment: strategy → rollout.strategy (+ deletePolicy → deletion.order,
 * remediation.maxInFlight → remediation), rolloutAfter → rollout.after, minReadySeconds into the
 * template, naming, status counters. revisionHistoryLimit and progressDeadlineSeconds were
 * dropped by v1beta2 and are not carried over.
 */
import { kindConverter } from './kind-converter.ts';
import { child, dropEmpty, objectAt, put, take, type Json } from './json.ts';
import { machineSpecToV1beta1, machineSpecToV1beta2 } from './machine-spec.ts';
import { replicaCounters } from './machine-set.ts';

/** v1beta1 `strategy` on `from` → v1beta2 rollout.strategy / deletion.order / remediation on `to`. */
export function strategyToRollout(from: Json, to: Json, remediationKey: string[]): void {
  const strategy = objectAt(take(from, 'strategy'));
  if (!strategy) return;
  const rollout: Json = {};
  put(rollout, 'type', strategy['type']);
  const rolling = objectAt(strategy['rollingUpdate']);
  if (rolling) {
    const rollingUpdate: Json = {};
    put(rollingUpdate, 'maxUnavailable', rolling['maxUnavailable']);
    put(rollingUpdate, 'maxSurge', rolling['maxSurge']);
    if (Object.keys(rollingUpdate).length) rollout['rollingUpdate'] = rollingUpdate;
    if (rolling['deletePolicy'] !== undefined) child(to, 'deletion')['order'] = rolling['deletePolicy'];
  }
  if (Object.keys(rollout).length) child(to, 'rollout')['strategy'] = rollout;
  const maxInFlight = objectAt(strategy['remediation'])?.['maxInFlight'];
  if (maxInFlight !== undefined) {
    let target = to;
    for (const key of remediationKey) target = child(target, key);
    target['maxInFlight'] = maxInFlight;
  }
}

/** v1beta2 rollout.strategy / deletion.order / remediation on `from` → v1beta1 `strategy` on `to`. */
export function rolloutToStrategy(from: Json, to: Json, remediationKey: string[]): void {
  const rollout = objectAt(from['rollout']);
  const source = objectAt(rollout?.['strategy']);
  const strategy: Json = {};
  put(strategy, 'type', source?.['type']);
  const rollingUpdate: Json = { ...objectAt(source?.['rollingUpdate']) };
  const deletion = objectAt(from['deletion']);
  put(rollingUpdate, 'deletePolicy', deletion ? take(deletion, 'order') : undefined);
  if (deletion) dropEmpty(from, 'deletion');
  if (Object.keys(rollingUpdate).length) strategy['rollingUpdate'] = rollingUpdate;
  let remediation: Json | undefined = from;
  for (const key of remediationKey.slice(0, -1)) remediation = objectAt(remediation?.[key]);
  const last = remediationKey[remediationKey.length - 1]!;
  const maxInFlight = objectAt(remediation?.[last])?.['maxInFlight'];
  if (maxInFlight !== undefined) {
    strategy['remediation'] = { maxInFlight };
    delete objectAt(remediation?.[last])!['maxInFlight'];
    if (remediation) dropEmpty(remediation, last);
  }
  if (rollout) delete rollout['strategy'];
  if (Object.keys(strategy).length) to['strategy'] = strategy;
}

export const machineDeploymentConverter = kindConverter({
  group: 'cluster.x-k8s.io',
  kind: 'MachineDeployment',
  specToV1beta2: (spec) => {
    const machineSpec = machineSpecToV1beta2(child(child(spec, 'template'), 'spec'));
    put(machineSpec, 'minReadySeconds', take(spec, 'minReadySeconds'));
    strategyToRollout(spec, spec, ['remediation']);
    const after = take(spec, 'rolloutAfter');
    if (after !== undefined) child(spec, 'rollout')['after'] = after;
    put(spec, 'machineNaming', take(spec, 'machineNamingStrategy'));
    delete spec['revisionHistoryLimit'];
    delete spec['progressDeadlineSeconds'];
    return spec;
  },
  specToV1beta1: (spec, object, context) => {
    const machineSpec = objectAt(objectAt(spec['template'])?.['spec']);
    put(spec, 'minReadySeconds', machineSpec?.['minReadySeconds']);
    if (machineSpec) machineSpecToV1beta1(machineSpec, object.metadata.namespace, context);
    rolloutToStrategy(spec, spec, ['remediation']);
    const rollout = objectAt(take(spec, 'rollout'));
    put(spec, 'rolloutAfter', rollout?.['after']);
    put(spec, 'machineNamingStrategy', take(spec, 'machineNaming'));
    return spec;
  },
  status: {
    deprecated: [
      'failureReason',
      'failureMessage',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
      'updatedReplicas',
    ],
    underV1beta2: replicaCounters,
    initialization: {},
  },
  lossy: [['spec', 'template', 'spec', 'taints']],
});
