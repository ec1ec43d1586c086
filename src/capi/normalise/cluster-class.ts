import type { KubeObject } from '../../k8s/kube-object.ts';
import type { ClusterClassVariableView, ClusterClassView, ObjectRef, WorkerClassView } from '../views.ts';
import { baseOf, viewOf } from './base.ts';
import { arr, at, bool, str } from './json-path.ts';
import { refOf } from './refs.ts';

function variablesOf(object: KubeObject): ClusterClassVariableView[] {
  const fromSpec = arr(object, 'spec', 'variables').flatMap((v) => {
    const name = str(v, 'name');
    return name
      ? [{ name, required: bool(v, 'required') === true, schema: at(v, 'schema', 'openAPIV3Schema') ?? null }]
      : [];
  });
  if (fromSpec.length > 0) return fromSpec;
  // Variables contributed by runtime extensions only appear in status.
  return arr(object, 'status', 'variables').flatMap((v) => {
    const name = str(v, 'name');
    const definition = arr(v, 'definitions')[0];
    return name
      ? [
          {
            name,
            required: bool(definition, 'required') === true,
            schema: at(definition, 'schema', 'openAPIV3Schema') ?? null,
          },
        ]
      : [];
  });
}

function workerClassOf(
  value: unknown,
  type: WorkerClassView['type'],
  namespace: string,
): WorkerClassView | null {
  const className = str(value, 'class');
  if (!className) return null;
  // v1beta2: infrastructure.templateRef; v1beta1: template.infrastructure.ref.
  const ref = (role: 'infrastructure' | 'bootstrap'): ObjectRef | null =>
    refOf(at(value, role, 'templateRef') ?? at(value, 'template', role, 'ref'), namespace);
  return {
    type,
    class: className,
    infrastructureTemplateRef: ref('infrastructure'),
    bootstrapTemplateRef: ref('bootstrap'),
  };
}

export function normaliseClusterClass(object: KubeObject, managementCluster: string): ClusterClassView {
  const namespace = object.metadata.namespace ?? '';
  const workerClasses = [
    ...arr(object, 'spec', 'workers', 'machineDeployments').map((w) =>
      workerClassOf(w, 'MachineDeployment', namespace),
    ),
    ...arr(object, 'spec', 'workers', 'machinePools').map((w) => workerClassOf(w, 'MachinePool', namespace)),
  ].filter((w): w is WorkerClassView => w !== null);
  return viewOf<ClusterClassView>(baseOf(object, managementCluster, []), {
    viewKind: 'ClusterClass',
    variables: variablesOf(object),
    workerClasses,
    kubernetesVersions: arr(object, 'spec', 'kubernetesVersions').filter(
      (v): v is string => typeof v === 'string',
    ),
  });
}
