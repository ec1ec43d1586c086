import { encodeGlobalId } from '../../resolvers/global-id.ts';
import type { CapiView, ControlPlaneView, ProviderObjectView, ProviderRole } from '../../src/capi/views.ts';
import { CONTROL_PLANE_GROUP } from '../../src/capi/kinds.ts';

function asView(value: unknown): CapiView | null {
  return typeof value === 'object' && value !== null && 'viewKind' in value ? (value as CapiView) : null;
}

export function viewKindIs(kind: CapiView['viewKind']) {
  return (value: unknown): boolean => asView(value)?.viewKind === kind;
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

export function isProviderRole(view: CapiView, role: ProviderRole): view is ProviderObjectView {
  return view.viewKind === 'ProviderObject' && view.role === role;
}

export function providerRoleIs(role: ProviderRole) {
  return (value: unknown): boolean => {
    const view = asView(value);
    return view !== null && isProviderRole(view, role);
  };
}

/** Node IDs are the object's address (see resolvers/global-id.ts). */
export const nodeId = { resolve: (v: CapiView): string => encodeGlobalId(v.address) };
