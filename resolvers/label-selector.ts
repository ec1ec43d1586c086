/** The one label-selector parser lives in the lower Kubernetes layer (the embedded API server uses it too). */
export {
  matchesLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
  type LabelSelector,
} from '../src/k8s/label-selector.ts';
