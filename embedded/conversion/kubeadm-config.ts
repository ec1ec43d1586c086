/** KubeadmConfig and KubeadmConfigTemplate: the KubeadmConfigSpec mapping; ready ⇄ initialization.dataSecretCreated. */
import { kindConverter } from './kind-converter.ts';
import { child, objectAt } from './json.ts';
import {
  kubeadmConfigSpecToV1beta1,
  kubeadmConfigSpecToV1beta2,
  kubeadmLossyPaths,
} from './kubeadm-config-spec.ts';

const bootstrap = 'bootstrap.cluster.x-k8s.io';

export const kubeadmConfigConverter = kindConverter({
  group: bootstrap,
  kind: 'KubeadmConfig',
  specToV1beta2: (spec) => kubeadmConfigSpecToV1beta2(spec),
  specToV1beta1: (spec) => kubeadmConfigSpecToV1beta1(spec),
  status: {
    deprecated: ['failureReason', 'failureMessage'],
    underV1beta2: [],
    initialization: { dataSecretCreated: 'ready' },
  },
  lossy: kubeadmLossyPaths(['spec']),
});

export const kubeadmConfigTemplateConverter = kindConverter({
  group: bootstrap,
  kind: 'KubeadmConfigTemplate',
  specToV1beta2: (spec) => {
    const template = child(spec, 'template');
    template['spec'] = kubeadmConfigSpecToV1beta2(child(template, 'spec'));
    return spec;
  },
  specToV1beta1: (spec) => {
    const template = objectAt(spec['template']);
    const inner = objectAt(template?.['spec']);
    if (template && inner) template['spec'] = kubeadmConfigSpecToV1beta1(inner);
    return spec;
  },
  lossy: kubeadmLossyPaths(['spec', 'template', 'spec']),
});
