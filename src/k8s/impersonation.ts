/**
 * Requests made on a user's behalf: the gateway's own credentials plus the impersonation
 * headers, so the API server authorizes the user (RBAC) and audits both names.
 */
import type { KubeRequester } from './kube-request.ts';

/** The user a request is made for: a name and its groups, as the API server will see them. */
export interface Impersonation {
  user: string;
  groups: readonly string[];
}

export function impersonationHeaders(who: Impersonation): Record<string, string | string[]> {
  return {
    'Impersonate-User': who.user,
    ...(who.groups.length > 0 ? { 'Impersonate-Group': [...who.groups] } : {}),
  };
}

/** `request`, sending every call as `who`. */
export function impersonating(request: KubeRequester, who: Impersonation): KubeRequester {
  const headers = impersonationHeaders(who);
  return (req) => request({ ...req, headers: { ...req.headers, ...headers } });
}
