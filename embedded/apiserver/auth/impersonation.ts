/**
 * Impersonation, as kube-apiserver's WithImpersonation filter: `Impersonate-User` (or a service
 * account's user name), `Impersonate-Group`, `Impersonate-Extra-<key>` and `Impersonate-Uid`,
 * each allowed only when the requester may `impersonate` it; the request then runs as the
 * impersonated user, whose groups are the impersonated ones (plus `system:authenticated`).
 */
import { StatusError } from '../errors.ts';
import type { Attributes } from './attributes.ts';
import type { Authorizer } from './authorizer.ts';
import { forbiddenError } from './forbidden.ts';
import { allAuthenticated, allUnauthenticated, anonymousUser, type UserInfo } from './user.ts';

type Headers = Record<string, string[] | undefined>;

interface ImpersonationRequest {
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name: string;
}

const serviceAccountPrefix = 'system:serviceaccount:';
const extraPrefix = 'impersonate-extra-';

function first(headers: Headers, name: string): string {
  return headers[name]?.[0] ?? '';
}

function impersonationRequests(headers: Headers): ImpersonationRequest[] {
  const requests: ImpersonationRequest[] = [];
  const user = first(headers, 'impersonate-user');
  if (user !== '') {
    const sa = user.startsWith(serviceAccountPrefix)
      ? user.slice(serviceAccountPrefix.length).split(':')
      : [];
    if (sa.length === 2 && sa[0] && sa[1])
      requests.push({ apiGroup: '', resource: 'serviceaccounts', namespace: sa[0], name: sa[1] });
    else requests.push({ apiGroup: '', resource: 'users', name: user });
  }
  for (const group of headers['impersonate-group'] ?? [])
    requests.push({ apiGroup: '', resource: 'groups', name: group });
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith(extraPrefix)) continue;
    let key = header.slice(extraPrefix.length);
    try {
      key = decodeURIComponent(key);
    } catch {
      // An undecodable key is used as written.
    }
    for (const value of values ?? [])
      requests.push({
        apiGroup: 'authentication.k8s.io',
        resource: 'userextras',
        subresource: key,
        name: value,
      });
  }
  const uid = first(headers, 'impersonate-uid');
  if (uid !== '') requests.push({ apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid });
  if (requests.length > 0 && user === '') {
    throw new StatusError(
      500,
      'InternalError',
      'Internal error occurred: requested impersonation without impersonating a user',
    );
  }
  return requests;
}

/** The user the request runs as: the requester, or whom it impersonates (403 when not allowed). */
export function impersonate(requester: UserInfo, headers: Headers, authorizer: Authorizer): UserInfo {
  const requests = impersonationRequests(headers);
  if (requests.length === 0) return requester;
  let name = '';
  let uid = '';
  let groups: string[] = [];
  let groupsGiven = false;
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const attributes: Attributes = {
      user: requester,
      verb: 'impersonate',
      resourceRequest: true,
      path: '',
      apiGroup: r.apiGroup,
      apiVersion: 'v1',
      resource: r.resource,
      subresource: r.subresource ?? '',
      namespace: r.namespace ?? '',
      name: r.name,
    };
    const decision = authorizer.authorize(attributes);
    if (!decision.allowed) throw forbiddenError(attributes, decision.reason);
    if (r.resource === 'users') name = r.name;
    else if (r.resource === 'serviceaccounts') name = `${serviceAccountPrefix}${r.namespace}:${r.name}`;
    else if (r.resource === 'groups') {
      groups.push(r.name);
      groupsGiven = true;
    } else if (r.resource === 'userextras') (extra[r.subresource!] ??= []).push(r.name);
    else uid = r.name;
  }
  const sa = requests.find((r) => r.resource === 'serviceaccounts');
  if (sa && !groupsGiven) groups = ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`];
  if (name === anonymousUser) {
    if (!groups.includes(allUnauthenticated)) groups.push(allUnauthenticated);
  } else if (!groups.includes(allAuthenticated) && !groups.includes(allUnauthenticated)) {
    groups.push(allAuthenticated);
  }
  return { name, uid, groups, ...(Object.keys(extra).length ? { extra } : {}) };
}
