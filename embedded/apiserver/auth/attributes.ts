/**
 * What a request asks to do, derived from its path, method and query as kube-apiserver's
 * RequestInfoFactory does — from the URL alone, so unknown resources are authorized (and then
 * 404) like known ones.
 */
import type { UserInfo } from './user.ts';

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

const methodVerbs: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};
const specialVerbs = new Set(['proxy', 'watch']);
const namespaceSubresources = new Set(['status', 'finalize']);
const trueValues = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const pathSegmentName = /^(?!\.{1,2}$)[^/%]+$/;

/** `metadata.name=x` (or `==`) among a field selector's terms: list/watch of one named object. */
function nameFromFieldSelector(selector: string | null): string {
  for (const term of (selector ?? '').split(',')) {
    const match = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (match && pathSegmentName.test(match[1]!)) return match[1]!;
  }
  return '';
}

export function requestAttributes(
  user: UserInfo,
  method: string,
  pathname: string,
  query: URLSearchParams,
): Attributes {
  const base: Attributes = {
    user,
    verb: (method === 'HEAD' ? 'get' : method).toLowerCase(),
    resourceRequest: false,
    path: pathname,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
  };
  let parts = pathname.split('/').filter((s) => s !== '');
  try {
    parts = parts.map(decodeURIComponent);
  } catch {
    return base;
  }
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return base;
  const grouped = parts[0] === 'apis';
  parts = parts.slice(1);
  if (grouped && parts.length < 3) return base;
  const apiGroup = grouped ? parts.shift()! : '';
  const apiVersion = parts.shift()!;
  let verb = methodVerbs[method] ?? '';
  if (specialVerbs.has(parts[0]!)) {
    if (parts.length < 2) return base;
    verb = parts.shift()!;
  }
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1]!;
    if (parts.length > 2 && !namespaceSubresources.has(parts[2]!)) parts = parts.slice(2);
  }
  const [resource = '', name = '', subresource = ''] = parts;
  const attributes: Attributes = {
    ...base,
    verb,
    resourceRequest: true,
    apiGroup,
    apiVersion,
    resource,
    subresource: verb === 'proxy' ? '' : subresource,
    namespace,
    name,
  };
  if (name === '' && verb === 'get') {
    attributes.verb = trueValues.has(query.get('watch') ?? '') ? 'watch' : 'list';
    attributes.name = nameFromFieldSelector(query.get('fieldSelector'));
  }
  if (attributes.name === '' && attributes.verb === 'delete') attributes.verb = 'deletecollection';
  return attributes;
}
