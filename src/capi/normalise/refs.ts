import { groupOfApiVersion } from '../../k8s/kube-object.ts';
import type { ObjectRef } from '../views.ts';
import { intern } from './intern.ts';
import { str } from './json-path.ts';

/**
 * A reference in either shape: v1beta2 `{apiGroup, kind, name}` (same namespace) or
 * v1beta1 / ClusterClass `{apiVersion, kind, name, namespace?}`.
 */
export function refOf(value: unknown, namespace: string): ObjectRef | null {
  const kind = str(value, 'kind');
  const name = str(value, 'name');
  if (!kind || !name) return null;
  const apiGroup = str(value, 'apiGroup');
  const apiVersion = str(value, 'apiVersion');
  const group = apiGroup ?? (apiVersion !== null ? groupOfApiVersion(apiVersion) : null);
  if (group === null) return null;
  return {
    group: intern(group),
    kind: intern(kind),
    name,
    namespace: intern(str(value, 'namespace') || namespace),
  };
}

export function refKey(ref: ObjectRef): string {
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
}
