import type { CrdInfo } from '../../k8s/crd-registry.ts';
import type { KubeObject } from '../../k8s/kube-object.ts';
import type { ProviderObjectView, ProviderRole } from '../views.ts';
import { baseOf, viewOf, endpointOf } from './base.ts';
import { at, bool, str } from './json-path.ts';
import { addressesOf } from './machine.ts';

/**
 * Any infrastructure or bootstrap object, read through the provider contract its CRD declares:
 * v1beta2-contract providers report `status.initialization.*`, v1beta1-contract ones
 * `status.ready`. Kinds without a contract label, and v1beta2-contract kinds whose schema has no
 * `initialization` yet (CAPI v1.14's DockerMachinePool keeps `status.ready` at v1beta2), get
 * whichever is present.
 */
export function normaliseProviderObject(
  object: KubeObject,
  managementCluster: string,
  role: ProviderRole,
  crd: Pick<CrdInfo, 'contract'>,
): ProviderObjectView {
  const ready = bool(object, 'status', 'ready');
  const initialization = (field: string): boolean | null => bool(object, 'status', 'initialization', field);
  const byContract = (field: string): boolean =>
    (crd.contract === 'v1beta1' ? ready : (initialization(field) ?? ready)) === true;
  return viewOf<ProviderObjectView>(baseOf(object, managementCluster, []), {
    viewKind: 'ProviderObject',
    role,
    contract: crd.contract,
    provisioned: byContract('provisioned'),
    providerID: str(object, 'spec', 'providerID'),
    addresses: addressesOf(at(object, 'status', 'addresses')),
    failureDomain: str(object, 'spec', 'failureDomain') ?? str(object, 'status', 'failureDomain'),
    controlPlaneEndpoint: endpointOf(at(object, 'spec', 'controlPlaneEndpoint')),
    dataSecretCreated: byContract('dataSecretCreated'),
    dataSecretName: str(object, 'status', 'dataSecretName'),
  });
}
