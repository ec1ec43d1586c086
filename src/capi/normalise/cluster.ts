import type { KubeObject } from '../../k8s/kube-object.ts';
import { pausedAnnotation } from '../kinds.ts';
import type { ClusterView, ReplicaCounters, VersionCount } from '../views.ts';
import { baseOf, viewOf, endpointOf, isV1beta1 } from './base.ts';
import { arr, at, bool, num, str } from './json-path.ts';
import { refOf } from './refs.ts';

function versionsOf(value: unknown): VersionCount[] {
  return arr(value, 'versions').flatMap((v) => {
    const version = str(v, 'version');
    return version ? [{ version, replicas: num(v, 'replicas') ?? 0 }] : [];
  });
}

function summaryOf(value: unknown): ReplicaCounters & { versions: VersionCount[] } {
  return {
    desired: num(value, 'desiredReplicas'),
    replicas: num(value, 'replicas'),
    ready: num(value, 'readyReplicas'),
    available: num(value, 'availableReplicas'),
    upToDate: num(value, 'upToDateReplicas'),
    versions: versionsOf(value),
  };
}

function topologyOf(object: KubeObject, namespace: string): ClusterView['topology'] {
  const topology = at(object, 'spec', 'topology');
  if (topology === undefined || topology === null) return null;
  // v1beta2: classRef {name, namespace}; v1beta1: class + classNamespace.
  const className = str(topology, 'classRef', 'name') ?? str(topology, 'class') ?? '';
  const classNamespace =
    str(topology, 'classRef', 'namespace') || str(topology, 'classNamespace') || namespace;
  return {
    classRef: { name: className, namespace: classNamespace },
    version: str(topology, 'version'),
    variables: arr(topology, 'variables').flatMap((v) => {
      const name = str(v, 'name');
      return name ? [{ name, value: at(v, 'value') ?? null }] : [];
    }),
  };
}

export function normaliseCluster(object: KubeObject, managementCluster: string): ClusterView {
  const namespace = object.metadata.namespace ?? '';
  const controlPlaneRef = refOf(at(object, 'spec', 'controlPlaneRef'), namespace);
  const infrastructureRef = refOf(at(object, 'spec', 'infrastructureRef'), namespace);
  const legacy = isV1beta1(object);
  const statusSummary = legacy ? at(object, 'status', 'v1beta2') : at(object, 'status');
  return viewOf<ClusterView>(baseOf(object, managementCluster, [controlPlaneRef, infrastructureRef]), {
    viewKind: 'Cluster',
    phase: str(object, 'status', 'phase'),
    paused:
      bool(object, 'spec', 'paused') === true ||
      object.metadata.annotations?.[pausedAnnotation] !== undefined,
    controlPlaneEndpoint: endpointOf(at(object, 'spec', 'controlPlaneEndpoint')),
    topology: topologyOf(object, namespace),
    controlPlaneRef,
    infrastructureRef,
    infrastructureProvisioned: legacy
      ? bool(object, 'status', 'infrastructureReady') === true
      : bool(object, 'status', 'initialization', 'infrastructureProvisioned') === true,
    controlPlaneInitialized: legacy
      ? bool(object, 'status', 'controlPlaneReady') === true
      : bool(object, 'status', 'initialization', 'controlPlaneInitialized') === true,
    controlPlaneStatus: summaryOf(at(statusSummary, 'controlPlane')),
    workersStatus: summaryOf(at(statusSummary, 'workers')),
  });
}
