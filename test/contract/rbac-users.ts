/**
 * The users of the RBAC contract: the same token-file lines (kube-apiserver's `--token-auth-file`
 * format) are given to both fixtures. Tokens are random per run and stay in the test process.
 */
import { randomBytes } from 'node:crypto';

export interface ContractUser {
  name: string;
  uid: string;
  groups: string[];
  token: string;
}

function user(name: string, groups: string[]): ContractUser {
  return { name, uid: `uid-${name}`, groups, token: randomBytes(16).toString('hex') };
}

export const rbacUsers = {
  alice: user('rbac-alice', ['contract-devs']),
  bob: user('rbac-bob', []),
  carol: user('rbac-carol', ['contract-ops']),
  dave: user('rbac-dave', []),
};

export const tokenFileLines: string[] = Object.values(rbacUsers).map(
  (u) => `${u.token},${u.name},${u.uid}${u.groups.length ? `,"${u.groups.join(',')}"` : ''}`,
);
