/** MachineSet: minReadySeconds into the template, deletePolicy → deletion.order, naming, status counters. */
import { kindConverter } from './kind-converter.ts';
import { child, dropEmpty, objectAt, put, take } from './json.ts';
import { machineSpecToV1beta1, machineSpecToV1beta2 } from './machine-spec.ts';

export const replicaCounters = ['readyReplicas', 'availableReplicas', 'upToDateReplicas'];

export const machineSetConverter = kindConverter({
  group: 'cluster.x-k8s.io',
  kind: 'MachineSet',
  specToV1beta2: (spec) => {
    const template = child(spec, 'template');
    const machineSpec = machineSpecToV1beta2(child(template, 'spec'));
    const minReadySeconds = take(spec, 'minReadySeconds');
    if (typeof minReadySeconds === 'number' && minReadySeconds !== 0)
      machineSpec['minReadySeconds'] = minReadySeconds;
    const order = take(spec, 'deletePolicy');
    if (order !== undefined) child(spec, 'deletion')['order'] = order;
    put(spec, 'machineNaming', take(spec, 'machineNamingStrategy'));
    return spec;
  },
  specToV1beta1: (spec, object, context) => {
    const template = objectAt(spec['template']);
    const machineSpec = objectAt(template?.['spec']);
    put(spec, 'minReadySeconds', machineSpec?.['minReadySeconds']);
    if (machineSpec) machineSpecToV1beta1(machineSpec, object.metadata.namespace, context);
    const deletion = objectAt(take(spec, 'deletion'));
    put(spec, 'deletePolicy', deletion?.['order']);
    put(spec, 'machineNamingStrategy', take(spec, 'machineNaming'));
    dropEmpty(spec, 'template');
    return spec;
  },
  status: {
    deprecated: [
      'failureReason',
      'failureMessage',
      'fullyLabeledReplicas',
      'readyReplicas',
      'availableReplicas',
    ],
    underV1beta2: replicaCounters,
    initialization: {},
  },
  lossy: [['spec', 'template', 'spec', 'taints']],
});
