/** ClusterResourceSet and ClusterResourceSetBinding: same spec in both versions; conditions layout. */
import { kindConverter } from './kind-converter.ts';
import { conditionsOnly } from './status.ts';

const addons = 'addons.cluster.x-k8s.io';

export const clusterResourceSetConverter = kindConverter({
  group: addons,
  kind: 'ClusterResourceSet',
  status: conditionsOnly,
});

export const clusterResourceSetBindingConverter = kindConverter({
  group: addons,
  kind: 'ClusterResourceSetBinding',
});

export const machineDrainRuleConverter = kindConverter({
  group: 'cluster.x-k8s.io',
  kind: 'MachineDrainRule',
});
