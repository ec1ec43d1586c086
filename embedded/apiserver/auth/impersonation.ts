/**
 * Impersonation, as kube-apiserver 1.36's WithImpersonation filter: `Impersonate-User` (or a
 * service account's user name), `Impersonate-Group`, `Impersonate-Extra-<key>` and
 * `Impersonate-Uid`. Allowed by constrained impersonation (`impersonate-on:<mode>:<verb>` on the
 * request's own resource plus `impersonate:<mode>` on each impersonated field, group
 * authentication.k8s.io) or by the legacy `impersonate` verb on users/groups/serviceaccounts/
 * uids/userextras; the request then runs as the impersonated user, whose groups are the
 * impersonated ones (plus `system:authenticated`). A denial names the constrained check on the
 * request, as kube-apiserver 1.36 answers a requester without impersonation rights.
 */
import { badRequest, type StatusError } from '../errors.ts';
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

const goStrings = (values: string[]): string =>
  values.length ? `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)';

/** kube's 400 for groups, extras or a uid without a user name (it prints the Go value). */
function withoutUser(requests: ImpersonationRequest[]): StatusError {
  const groups = requests.filter((r) => r.resource === 'groups').map((r) => r.name);
  const uid = requests.find((r) => r.resource === 'uids')?.name ?? '';
  const extras = requests.filter((r) => r.resource === 'userextras');
  const keys = [...new Set(extras.map((r) => r.subresource ?? ''))];
  const extra = keys.length
    ? `map[string][]string{${keys
        .map(
          (k) =>
            `${JSON.stringify(k)}:${goStrings(extras.filter((r) => r.subresource === k).map((r) => r.name))}`,
        )
        .join(', ')}}`
    : 'map[string][]string(nil)';
  return badRequest(
    `requested &user.DefaultInfo{Name:"", UID:${JSON.stringify(uid)}, Groups:${goStrings(groups)}, Extra:${extra}} without impersonating a user name`,
  );
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
  if (requests.length > 0 && user === '') throw withoutUser(requests);
  return requests;
}

function fieldAttributes(
  requester: UserInfo,
  r: ImpersonationRequest,
  verb: string,
  constrained: boolean,
): Attributes {
  return {
    user: requester,
    verb,
    resourceRequest: true,
    path: '',
    apiGroup: constrained ? 'authentication.k8s.io' : r.apiGroup,
    apiVersion: 'v1',
    resource: r.resource,
    subresource: r.subresource ?? '',
    namespace: r.namespace ?? '',
    name: r.name,
  };
}

/** The user info the impersonation headers describe. */
function impersonatedUser(requests: ImpersonationRequest[]): UserInfo {
  let name = '';
  let uid = '';
  let groups: string[] = [];
  let groupsGiven = false;
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    if (r.resource === 'users') name = r.name;
    else if (r.resource === 'serviceaccounts') name = `${serviceAccountPrefix}${r.namespace}:${r.name}`;
    else if (r.resource === 'groups') {
      groups.push(r.name);
      groupsGiven = true;
    } else if (r.resource === 'userextras') (extra[r.subresource ?? ''] ??= []).push(r.name);
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

/**
 * The user the request runs as: the requester, or whom it impersonates (403 when not allowed).
 * `target` is what the request asks to do, attributed to the requester.
 */
export function impersonate(
  requester: UserInfo,
  headers: Headers,
  authorizer: Authorizer,
  target: Attributes,
): UserInfo {
  const requests = impersonationRequests(headers);
  if (requests.length === 0) return requester;
  const mode = requests.some((r) => r.resource === 'serviceaccounts') ? 'serviceaccount' : 'user-info';
  const on: Attributes = { ...target, user: requester, verb: `impersonate-on:${mode}:${target.verb}` };
  const onDecision = authorizer.authorize(on);
  const fieldVerb = (r: ImpersonationRequest) =>
    r.resource === 'serviceaccounts' ? 'impersonate:serviceaccount' : 'impersonate:user-info';
  const constrained =
    onDecision.allowed &&
    requests.every((r) => authorizer.authorize(fieldAttributes(requester, r, fieldVerb(r), true)).allowed);
  const allowed =
    constrained ||
    requests.every((r) => authorizer.authorize(fieldAttributes(requester, r, 'impersonate', false)).allowed);
  if (!allowed) throw forbiddenError(on, onDecision.reason);
  return impersonatedUser(requests);
}
