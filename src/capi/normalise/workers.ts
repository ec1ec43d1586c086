import type { KubeObject } from '../../k8s/kube-object.ts';
import type { MachineDeploymentView, MachinePoolView, MachineSetView } from '../views.ts';
import { baseOf, viewOf, isV1beta1, replicaCountersOf, strategyOf } from './base.ts';
import { at, record, str } from './json-path.ts';
import { refOf } from './refs.ts';

function templateRefsOf(object: KubeObject) {
  const namespace = object.metadata.namespace ?? '';
  return {
    infrastructure: refOf(at(object, 'spec', 'template', 'spec', 'infrastructureRef'), namespace),
    bootstrap: refOf(at(object, 'spec', 'template', 'spec', 'bootstrap', 'configRef'), namespace),
  };
}

export function normaliseMachineDeployment(
  object: KubeObject,
  managementCluster: string,
): MachineDeploymentView {
  const refs = templateRefsOf(object);
  const strategy = isV1beta1(object)
    ? at(object, 'spec', 'strategy')
    : at(object, 'spec', 'rollout', 'strategy');
  return viewOf<MachineDeploymentView>(
    baseOf(object, managementCluster, [refs.infrastructure, refs.bootstrap]),
    {
      viewKind: 'MachineDeployment',
      ...replicaCountersOf(object),
      phase: str(object, 'status', 'phase'),
      version: str(object, 'spec', 'template', 'spec', 'version'),
      strategy: strategyOf(strategy),
      infrastructureTemplateRef: refs.infrastructure,
      bootstrapTemplateRef: refs.bootstrap,
      selector: record(object, 'spec', 'selector', 'matchLabels'),
    },
  );
}

export function normaliseMachineSet(object: KubeObject, managementCluster: string): MachineSetView {
  const refs = templateRefsOf(object);
  return viewOf<MachineSetView>(baseOf(object, managementCluster, [refs.infrastructure, refs.bootstrap]), {
    viewKind: 'MachineSet',
    ...replicaCountersOf(object),
    version: str(object, 'spec', 'template', 'spec', 'version'),
    infrastructureTemplateRef: refs.infrastructure,
    bootstrapTemplateRef: refs.bootstrap,
  });
}

export function normaliseMachinePool(object: KubeObject, managementCluster: string): MachinePoolView {
  const refs = templateRefsOf(object);
  return viewOf<MachinePoolView>(baseOf(object, managementCluster, [refs.infrastructure, refs.bootstrap]), {
    viewKind: 'MachinePool',
    ...replicaCountersOf(object),
    phase: str(object, 'status', 'phase'),
    version: str(object, 'spec', 'template', 'spec', 'version'),
    infrastructureRef: refs.infrastructure,
    bootstrapConfigRef: refs.bootstrap,
  });
}
