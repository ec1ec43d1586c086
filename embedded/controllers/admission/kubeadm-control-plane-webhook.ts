/**
 * The KubeadmControlPlane webhook rules of CAPI: replicas must be positive and odd with stacked
 * etcd (also when scaled through the scale subresource), versions must be valid and a version
 * change may not skip a minor release.
 */
import type {
  AdmissionCause,
  AdmissionRequest,
  AdmissionResponse,
  KubeObject,
  ValidatingAdmissionPlugin,
} from '../../apiserver/admission.ts';
import { field, numberField, recordField, stringField } from '../object-fields.ts';
import { parseKubernetesVersion, skipsMinor } from '../kubernetes-version.ts';
import { allowed, invalidField, rejectInvalid } from './admission-responses.ts';

const GROUP = 'controlplane.cluster.x-k8s.io';

export interface KubeadmControlPlaneLookup {
  getKubeadmControlPlane(namespace: string, name: string): KubeObject | undefined;
}

function usesExternalEtcd(kcp: KubeObject | undefined): boolean {
  return recordField(kcp, 'spec.kubeadmConfigSpec.clusterConfiguration.etcd.external') !== undefined;
}

export function replicaCauses(
  replicas: number | undefined,
  externalEtcd: boolean,
  field: string,
): AdmissionCause[] {
  if (replicas === undefined) return [];
  // The wording of CAPI's webhook (both causes for 0, which is even too).
  const causes: AdmissionCause[] = [];
  if (replicas <= 0)
    causes.push(invalidField(field, 'Forbidden: cannot be less than or equal to 0', 'FieldValueForbidden'));
  if (!externalEtcd && replicas % 2 === 0) {
    causes.push(
      invalidField(field, 'Forbidden: cannot be an even number when etcd is stacked', 'FieldValueForbidden'),
    );
  }
  return causes;
}

/** Scale-in rollouts (maxSurge 0) need at least 3 replicas, as CAPI's webhook says. */
function rolloutCauses(kcp: KubeObject): AdmissionCause[] {
  const maxSurge = field(kcp, 'spec.rollout.strategy.rollingUpdate.maxSurge');
  const replicas = numberField(kcp, 'spec.replicas') ?? 1;
  if ((maxSurge === 0 || maxSurge === '0' || maxSurge === '0%') && replicas < 3) {
    return [
      invalidField(
        'spec.rollout.strategy.rollingUpdate',
        'Required value: when KubeadmControlPlane is configured to scale-in, replica count needs to be at least 3',
        'FieldValueRequired',
      ),
    ];
  }
  return [];
}

function versionCauses(request: AdmissionRequest): AdmissionCause[] {
  const version = stringField(request.object, 'spec.version');
  const parsed = parseKubernetesVersion(version);
  if (!parsed)
    return [
      invalidField('spec.version', `Invalid value: "${version ?? ''}": must be a valid semantic version`),
    ];
  const previous = parseKubernetesVersion(stringField(request.oldObject, 'spec.version'));
  if (previous && skipsMinor(previous, parsed)) {
    return [
      invalidField(
        'spec.version',
        `Forbidden: cannot update Kubernetes version from ${previous.raw} to ${parsed.raw}`,
        'FieldValueForbidden',
      ),
    ];
  }
  return [];
}

/**
 * CAPI's separate scale webhook (controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane_scale.go,
 * `validation-scale.kubeadmcontrolplane.controlplane.cluster.x-k8s.io` on `kubeadmcontrolplanes/scale`):
 * `admission.Denied`, i.e. 403 Forbidden with kube-apiserver's webhook-denial wording.
 */
function scaleAnswer(replicas: number, externalEtcd: boolean): AdmissionResponse {
  const denied = (reason: string): AdmissionResponse => ({
    allowed: false,
    code: 403,
    message: `admission webhook "validation-scale.kubeadmcontrolplane.controlplane.cluster.x-k8s.io" denied the request: ${reason}`,
  });
  if (replicas <= 0) return denied('replicas should be greater than zero');
  if (!externalEtcd && replicas % 2 === 0)
    return denied('replicas cannot be an even number when etcd is stacked');
  return allowed;
}

export function createKubeadmControlPlaneWebhook(
  lookup: KubeadmControlPlaneLookup,
): ValidatingAdmissionPlugin {
  return {
    name: 'capi-kubeadm-control-plane',
    validate(request) {
      if (request.group !== GROUP || request.resource !== 'kubeadmcontrolplanes') return allowed;
      if (request.operation === 'DELETE' || !request.object) return allowed;
      if (request.subresource === 'status') return allowed;
      if (request.subresource === 'scale') {
        const kcp =
          request.object.kind === 'KubeadmControlPlane'
            ? request.object
            : lookup.getKubeadmControlPlane(request.namespace ?? '', request.name);
        return scaleAnswer(numberField(request.object, 'spec.replicas') ?? 0, usesExternalEtcd(kcp));
      }
      const causes = [
        ...replicaCauses(
          numberField(request.object, 'spec.replicas'),
          usesExternalEtcd(request.object),
          'spec.replicas',
        ),
        ...versionCauses(request),
        ...rolloutCauses(request.object),
      ];
      return rejectInvalid('KubeadmControlPlane', GROUP, request.name, causes);
    },
  };
}
