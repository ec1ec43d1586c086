/** The 403 kube-apiserver answers when a request is not authorized (responsewriters.Forbidden). */
import { forbidden, type StatusError } from '../errors.ts';
import type { Attributes } from './attributes.ts';

export function forbiddenMessage(a: Attributes): string {
  const user = `User ${JSON.stringify(a.user.name)}`;
  if (!a.resourceRequest) return `${user} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `${user} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} ${where}`;
}

export function forbiddenError(a: Attributes, reason: string): StatusError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const message =
    qualified === ''
      ? `forbidden: ${why}`
      : a.name === ''
        ? `${qualified} is forbidden: ${why}`
        : `${qualified} ${JSON.stringify(a.name)} is forbidden: ${why}`;
  return forbidden(message, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    ...(a.resource ? { kind: a.resource } : {}),
  });
}
