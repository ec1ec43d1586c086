import type { ResourceTarget } from './kube-transport.ts';

/** `/api/v1` for the core group, `/apis/<group>/<version>` for every other. */
export function groupVersionPath(target: ResourceTarget): string {
  return target.group === '' ? `/api/${target.version}` : `/apis/${target.group}/${target.version}`;
}

/** The collection path of a kind (all namespaces when `namespace` is omitted). */
export function collectionPath(target: ResourceTarget, namespace?: string): string {
  const scope = target.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(target)}${scope}/${target.plural}`;
}

/** One object's path, or one of its subresources (`status`, `scale`). */
export function objectPath(
  target: ResourceTarget,
  namespace: string | undefined,
  name: string,
  subresource?: string,
): string {
  const base = `${collectionPath(target, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${base}/${subresource}` : base;
}

/** `group/version` as objects carry it in `apiVersion`. */
export function apiVersionOf(target: ResourceTarget): string {
  return target.group === '' ? target.version : `${target.group}/${target.version}`;
}
