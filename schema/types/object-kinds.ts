import { encodeGlobalId } from '../../resolvers/global-id.ts';
import type { CapiView, ControlPlaneView, ProviderObjectView, ProviderRole } from '../../src/capi/views.ts';
import { CONTROL_PLANE_GROUP } from '../../src/capi/kinds.ts';

/**
 * isTypeOf checks run once per object in a response (30k in the benchmark's query): one
 * property read each. Every value reaching them is a view (resolvers return nothing else).
 */
export function viewKindIs(kind: CapiView['viewKind']) {
  return (value: unknown): boolean => (value as CapiView).viewKind === kind;
}

export function isControlPlane(view: CapiView): view is ControlPlaneView {
  return view.viewKind === 'ControlPlane';
}

export function isKubeadmControlPlane(view: CapiView): boolean {
  return (
    view.viewKind === 'ControlPlane' &&
    view.address.kind === 'KubeadmControlPlane' &&
    view.address.group === CONTROL_PLANE_GROUP
  );
}

/** Only provider object views have a `role`. */
export function isProviderRole(view: CapiView, role: ProviderRole): view is ProviderObjectView {
  return (view as Partial<ProviderObjectView>).role === role;
}

export function providerRoleIs(role: ProviderRole) {
  return (value: unknown): boolean => (value as Partial<ProviderObjectView>).role === role;
}

/** Node IDs are the object's address (see resolvers/global-id.ts). */
export const nodeId = { resolve: (v: CapiView): string => encodeGlobalId(v.address) };
