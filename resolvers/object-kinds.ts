import { CONTROL_PLANE_GROUP } from '../src/capi/kinds.ts';
import type { CapiView, ControlPlaneView } from '../src/capi/views.ts';

/** A KubeadmControlPlane has its own GraphQL type; other control planes share GenericControlPlane. */
export function isKubeadmControlPlane(view: CapiView): view is ControlPlaneView {
  return (
    view.viewKind === 'ControlPlane' &&
    view.address.kind === 'KubeadmControlPlane' &&
    view.address.group === CONTROL_PLANE_GROUP
  );
}
