/** Who a request is authenticated (or impersonated) as, in kube-apiserver's terms. */
export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const allAuthenticated = 'system:authenticated';
export const allUnauthenticated = 'system:unauthenticated';
export const privilegedGroup = 'system:masters';
export const anonymousUser = 'system:anonymous';

/** The kubeconfig's identity: full power, as a `system:masters` token on a real server. */
export const adminUser: UserInfo = {
  name: 'capi-gateway-admin',
  uid: 'capi-gateway-admin',
  groups: [privilegedGroup, allAuthenticated],
};

/** Every authenticated user is in `system:authenticated` (kube's authenticator adds it). */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(allAuthenticated)) return user;
  return { ...user, groups: [...user.groups, allAuthenticated] };
}
