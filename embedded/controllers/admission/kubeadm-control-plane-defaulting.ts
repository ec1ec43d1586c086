/**
 * CAPI's KubeadmControlPlane defaulting, as a real v1.14 cluster stores it: the `v` prefix on
 * the version and the RollingUpdate strategy with maxSurge 1.
 */
import type { MutatingAdmissionPlugin } from '../../apiserver/admission.ts';
import { withVersionPrefix } from '../kubernetes-version.ts';
import { recordField, setField, stringField } from '../object-fields.ts';
import { allowed } from './admission-responses.ts';

export function createKubeadmControlPlaneDefaulting(): MutatingAdmissionPlugin {
  return {
    name: 'capi-kubeadm-control-plane-defaulting',
    admit(request) {
      if (request.group !== 'controlplane.cluster.x-k8s.io' || request.resource !== 'kubeadmcontrolplanes')
        return allowed;
      const object = request.object;
      if (!object || request.operation === 'DELETE' || request.subresource !== undefined) return allowed;
      const version = stringField(object, 'spec.version');
      if (version) setField(object, 'spec.version', withVersionPrefix(version));
      setField(
        object,
        'spec.rollout.strategy.type',
        stringField(object, 'spec.rollout.strategy.type') ?? 'RollingUpdate',
      );
      const rollingUpdate = recordField(object, 'spec.rollout.strategy.rollingUpdate') ?? {};
      rollingUpdate.maxSurge ??= 1;
      setField(object, 'spec.rollout.strategy.rollingUpdate', rollingUpdate);
      return allowed;
    },
  };
}
