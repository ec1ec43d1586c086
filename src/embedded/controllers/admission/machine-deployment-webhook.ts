/**
 * CAPI's MachineDeployment / MachineSet / Machine / MachineHealthCheck defaulting: the
 * cluster-name label everywhere, selector and template labels that tie a deployment (or set) to
 * its machines, a default replica count and the `v` prefix on versions; then validation that
 * the selector still selects the template's labels.
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
import { allowed, invalidField, rejectInvalid } from './admission-responses.ts';

const GROUP = 'cluster.x-k8s.io';

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

function selectorMatches(object: KubeObject): boolean {
  const selector = stringMapField(object, 'spec.selector.matchLabels');
  const labels = stringMapField(object, 'spec.template.metadata.labels');
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function defaultReplicaSetLike(object: KubeObject, ownLabel: string | undefined): void {
  const clusterName = stringField(object, 'spec.clusterName');
  const name = object.metadata.name;
  addLabel(object, 'metadata.labels', LABELS.clusterName, clusterName);
  if (numberField(object, 'spec.replicas') === undefined) setField(object, 'spec.replicas', 1);
  if (!isRecord(recordField(object, 'spec.selector'))) setField(object, 'spec.selector', {});
  for (const path of ['spec.selector.matchLabels', 'spec.template.metadata.labels']) {
    addLabel(object, path, LABELS.clusterName, clusterName);
    if (ownLabel) addLabel(object, path, ownLabel, name);
  }
  if (stringField(object, 'spec.template.spec.clusterName') === undefined && clusterName) {
    setField(object, 'spec.template.spec.clusterName', clusterName);
  }
  defaultVersion(object, 'spec.template.spec.version');
}

function defaultObject(request: AdmissionRequest, object: KubeObject): void {
  switch (request.resource) {
    case 'machinedeployments':
      defaultReplicaSetLike(object, LABELS.deploymentName);
      return;
    case 'machinesets':
      // MachineSets get only the cluster name; the deployment's controller adds the rest.
      defaultReplicaSetLike(object, undefined);
      return;
    case 'machines':
      addLabel(object, 'metadata.labels', LABELS.clusterName, stringField(object, 'spec.clusterName'));
      defaultVersion(object, 'spec.version');
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
      if (
        (request.resource === 'machinedeployments' || request.resource === 'machinesets') &&
        !selectorMatches(request.object)
      ) {
        return rejectInvalid(request.kind, GROUP, request.name, [
          invalidField('spec.template.metadata.labels', 'Invalid value: must match spec.selector'),
        ]);
      }
      return allowed;
    },
  };
}
