/**
 * CAPI's MachineDeployment / MachineSet / Machine / MachineHealthCheck defaulting, as a real
 * v1.14 management cluster stores the result: the cluster-name label on the object and in the
 * selector and template labels (the deployment-name / set-name labels are added to Machines by
 * the controllers, not here), a default replica count, the RollingUpdate strategy
 * (maxSurge 1, maxUnavailable 0), a Machine's node deletion timeout and the `v` prefix on
 * versions (machine-webhooks.ts then checks that the selector selects the template's labels).
 */
import type { AdmissionRequest, KubeObject, MutatingAdmissionPlugin } from '../../apiserver/admission.ts';
import {
  type JsonRecord,
  isRecord,
  numberField,
  recordField,
  setField,
  stringField,
  stringMapField,
} from '../object-fields.ts';
import { withVersionPrefix } from '../kubernetes-version.ts';
import { LABELS } from '../labels.ts';
import { allowed } from './admission-responses.ts';

const GROUP = 'cluster.x-k8s.io';
/** CAPI's Machine webhook default for spec.deletion.nodeDeletionTimeoutSeconds. */
const NODE_DELETION_TIMEOUT_SECONDS = 10;

function addLabel(object: JsonRecord, path: string, key: string, value: string | undefined): void {
  if (!value) return;
  const labels = { ...stringMapField(object, path) };
  if (labels[key] === undefined) labels[key] = value;
  setField(object, path, labels);
}

function defaultVersion(object: JsonRecord, path: string): void {
  const version = stringField(object, path);
  if (version) setField(object, path, withVersionPrefix(version));
}

function defaultRolloutStrategy(object: KubeObject): void {
  const type = stringField(object, 'spec.rollout.strategy.type');
  if (type === 'OnDelete') return;
  setField(object, 'spec.rollout.strategy.type', 'RollingUpdate');
  const rollingUpdate = recordField(object, 'spec.rollout.strategy.rollingUpdate') ?? {};
  rollingUpdate.maxSurge ??= 1;
  rollingUpdate.maxUnavailable ??= 0;
  setField(object, 'spec.rollout.strategy.rollingUpdate', rollingUpdate);
}

function defaultReplicaSetLike(object: KubeObject): void {
  const clusterName = stringField(object, 'spec.clusterName');
  addLabel(object, 'metadata.labels', LABELS.clusterName, clusterName);
  if (numberField(object, 'spec.replicas') === undefined) setField(object, 'spec.replicas', 1);
  if (!isRecord(recordField(object, 'spec.selector'))) setField(object, 'spec.selector', {});
  addLabel(object, 'spec.selector.matchLabels', LABELS.clusterName, clusterName);
  addLabel(object, 'spec.template.metadata.labels', LABELS.clusterName, clusterName);
  if (stringField(object, 'spec.template.spec.clusterName') === undefined && clusterName) {
    setField(object, 'spec.template.spec.clusterName', clusterName);
  }
  defaultVersion(object, 'spec.template.spec.version');
}

function defaultObject(request: AdmissionRequest, object: KubeObject): void {
  switch (request.resource) {
    case 'machinedeployments':
      defaultReplicaSetLike(object);
      defaultRolloutStrategy(object);
      return;
    case 'machinesets':
      defaultReplicaSetLike(object);
      return;
    case 'machines':
      addLabel(object, 'metadata.labels', LABELS.clusterName, stringField(object, 'spec.clusterName'));
      defaultVersion(object, 'spec.version');
      if (numberField(object, 'spec.deletion.nodeDeletionTimeoutSeconds') === undefined) {
        setField(object, 'spec.deletion.nodeDeletionTimeoutSeconds', NODE_DELETION_TIMEOUT_SECONDS);
      }
      return;
    case 'machinehealthchecks':
      addLabel(object, 'metadata.labels', LABELS.clusterName, stringField(object, 'spec.clusterName'));
      return;
  }
}

export function createMachineDefaultingWebhook(): MutatingAdmissionPlugin {
  return {
    name: 'capi-machine-defaulting',
    admit(request) {
      if (request.group !== GROUP || !request.object || request.operation === 'DELETE') return allowed;
      if (request.subresource !== undefined) return allowed;
      defaultObject(request, request.object);
      return allowed;
    },
  };
}
