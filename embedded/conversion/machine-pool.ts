/** MachinePool: minReadySeconds into the template, MachineSpec refs, status counters and initialization. */
import { kindConverter } from './kind-converter.ts';
import { child, objectAt, put, take } from './json.ts';
import { machineInitialization } from './machine.ts';
import { machineSpecToV1beta1, machineSpecToV1beta2 } from './machine-spec.ts';
import { replicaCounters } from './machine-set.ts';

export const machinePoolConverter = kindConverter({
  group: 'cluster.x-k8s.io',
  kind: 'MachinePool',
  specToV1beta2: (spec) => {
    const machineSpec = machineSpecToV1beta2(child(child(spec, 'template'), 'spec'));
    put(machineSpec, 'minReadySeconds', take(spec, 'minReadySeconds'));
    return spec;
  },
  specToV1beta1: (spec, object, context) => {
    const machineSpec = objectAt(objectAt(spec['template'])?.['spec']);
    put(spec, 'minReadySeconds', machineSpec?.['minReadySeconds']);
    if (machineSpec) machineSpecToV1beta1(machineSpec, object.metadata.namespace, context);
    return spec;
  },
  status: {
    deprecated: [
      'failureReason',
      'failureMessage',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ],
    underV1beta2: replicaCounters,
    initialization: machineInitialization,
  },
  lossy: [['spec', 'template', 'spec', 'taints']],
});
