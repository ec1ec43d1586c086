import type { KubeObject } from '../../k8s/kube-object.ts';
import type { ControlPlaneView } from '../views.ts';
import { baseOf, viewOf, isV1beta1, replicaCountersOf, strategyOf } from './base.ts';
import { at, bool, str } from './json-path.ts';
import { refOf } from './refs.ts';

/**
 * Any control-plane kind through the control-plane contract fields; KubeadmControlPlane's
 * rollout strategy and machine template are read where KCP keeps them (other kinds that
 * follow the same layout get them too).
 */
export function normaliseControlPlane(object: KubeObject, managementCluster: string): ControlPlaneView {
  const namespace = object.metadata.namespace ?? '';
  const legacy = isV1beta1(object);
  const infrastructureTemplateRef = refOf(
    legacy
      ? at(object, 'spec', 'machineTemplate', 'infrastructureRef')
      : (at(object, 'spec', 'machineTemplate', 'spec', 'infrastructureRef') ??
          at(object, 'spec', 'machineTemplate', 'infrastructureRef')),
    namespace,
  );
  const strategy = legacy ? at(object, 'spec', 'rolloutStrategy') : at(object, 'spec', 'rollout', 'strategy');
  return viewOf<ControlPlaneView>(baseOf(object, managementCluster, [infrastructureTemplateRef]), {
    viewKind: 'ControlPlane',
    ...replicaCountersOf(object),
    version: str(object, 'spec', 'version'),
    statusVersion: str(object, 'status', 'version'),
    initialized:
      (bool(object, 'status', 'initialization', 'controlPlaneInitialized') ??
        bool(object, 'status', 'initialized')) === true,
    rolloutStrategy: strategyOf(strategy),
    infrastructureTemplateRef,
  });
}
