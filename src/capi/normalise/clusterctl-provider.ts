import type { KubeObject } from '../../k8s/kube-object.ts';
import type { ClusterctlProviderView } from '../views.ts';
import { baseOf, viewOf } from './base.ts';
import { str } from './json-path.ts';

export function normaliseClusterctlProvider(
  object: KubeObject,
  managementCluster: string,
): ClusterctlProviderView {
  return viewOf<ClusterctlProviderView>(baseOf(object, managementCluster, []), {
    viewKind: 'ClusterctlProvider',
    providerName: str(object, 'providerName') ?? object.metadata.name,
    type: str(object, 'type') ?? 'Unknown',
    version: str(object, 'version'),
  });
}
