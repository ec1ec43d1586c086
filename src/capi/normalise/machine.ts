import type { KubeObject } from '../../k8s/kube-object.ts';
import { labels } from '../kinds.ts';
import type { AddressView, MachineView } from '../views.ts';
import { baseOf, viewOf, isV1beta1 } from './base.ts';
import { arr, at, bool, str } from './json-path.ts';
import { refOf } from './refs.ts';

export function addressesOf(value: unknown): AddressView[] {
  return arr(value).flatMap((a) => {
    const type = str(a, 'type');
    const address = str(a, 'address');
    return type && address ? [{ type, address }] : [];
  });
}

export function normaliseMachine(object: KubeObject, managementCluster: string): MachineView {
  const namespace = object.metadata.namespace ?? '';
  const infrastructureRef = refOf(at(object, 'spec', 'infrastructureRef'), namespace);
  const bootstrapConfigRef = refOf(at(object, 'spec', 'bootstrap', 'configRef'), namespace);
  const legacy = isV1beta1(object);
  return viewOf<MachineView>(baseOf(object, managementCluster, [infrastructureRef, bootstrapConfigRef]), {
    viewKind: 'Machine',
    phase: str(object, 'status', 'phase'),
    version: str(object, 'spec', 'version'),
    providerID: str(object, 'spec', 'providerID'),
    nodeName: str(object, 'status', 'nodeRef', 'name'),
    addresses: addressesOf(at(object, 'status', 'addresses')),
    failureDomain: str(object, 'spec', 'failureDomain') ?? str(object, 'status', 'failureDomain'),
    bootstrapReady: legacy
      ? bool(object, 'status', 'bootstrapReady') === true
      : bool(object, 'status', 'initialization', 'bootstrapDataSecretCreated') === true,
    infrastructureReady: legacy
      ? bool(object, 'status', 'infrastructureReady') === true
      : bool(object, 'status', 'initialization', 'infrastructureProvisioned') === true,
    infrastructureRef,
    bootstrapConfigRef,
    controlPlane: object.metadata.labels?.[labels.controlPlane] !== undefined,
  });
}
