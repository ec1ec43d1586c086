/** Machine: MachineSpec refs/durations; nodeRef {name}; bootstrapReady/infrastructureReady from initialization. */
import { kindConverter } from './kind-converter.ts';
import { isObject, objectAt, type Json } from './json.ts';
import { machineSpecToV1beta1, machineSpecToV1beta2 } from './machine-spec.ts';

export const machineInitialization = {
  bootstrapDataSecretCreated: 'bootstrapReady',
  infrastructureProvisioned: 'infrastructureReady',
};

export const machineConverter = kindConverter({
  group: 'cluster.x-k8s.io',
  kind: 'Machine',
  specToV1beta2: (spec) => machineSpecToV1beta2(spec),
  specToV1beta1: (spec, object, context) => machineSpecToV1beta1(spec, object.metadata.namespace, context),
  status: {
    deprecated: ['failureReason', 'failureMessage'],
    underV1beta2: [],
    initialization: machineInitialization,
  },
  statusToV1beta2: (status: Json) => {
    const nodeRef = objectAt(status['nodeRef']);
    if (nodeRef) status['nodeRef'] = { name: nodeRef['name'] };
  },
  statusToV1beta1: (status: Json) => {
    if (isObject(status['nodeRef']))
      status['nodeRef'] = { apiVersion: 'v1', kind: 'Node', name: status['nodeRef']['name'] };
  },
  lossy: [
    ['spec', 'minReadySeconds'],
    ['spec', 'taints'],
  ],
});
