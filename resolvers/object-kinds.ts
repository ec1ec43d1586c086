import { CONTROL_PLANE_GROUP } from '../src/capi/kinds.ts';
import type { CapiView, ControlPlaneView, ProviderObjectView, ProviderRole } from '../src/capi/views.ts';

/**
 * What a view is, for the schema's type resolution. isTypeOf checks run once per object in a
 * response (30k in the benchmark's query): one property read each. Every value reaching them
 * is a view (resolvers return nothing else).
 */
export function viewKindIs(kind: CapiView['viewKind']) {
  return (value: unknown): boolean => (value as CapiView).viewKind === kind;
}

export function isKubeadmControlPlane(view: CapiView): view is ControlPlaneView {
  return (
    view.viewKind === 'ControlPlane' &&
    view.address.kind === 'KubeadmControlPlane' &&
    view.address.group === CONTROL_PLANE_GROUP
  );
}

/** Only provider object views have a `role`. */
export function providerRoleIs(role: ProviderRole) {
  return (value: unknown): boolean => (value as Partial<ProviderObjectView>).role === role;
}
