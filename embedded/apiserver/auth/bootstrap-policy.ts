/**
 * The default roles and bindings kube-apiserver creates at start (its RBAC bootstrap policy),
 * trimmed to what this server serves: cluster-admin, the user-facing admin/edit/view (aggregated
 * from system:aggregate-to-*), and the discovery roles every authenticated user is bound to.
 */
import type { KubeObject } from '../admission.ts';
import { rbacGroup } from './rbac-index.ts';
import { allAuthenticated, allUnauthenticated, privilegedGroup } from './user.ts';

const apiVersion = `${rbacGroup}/v1`;
const bootstrapLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];

interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
}

const rule = (verbs: string[], apiGroups: string[], resources: string[]): Rule => ({
  verbs,
  apiGroups,
  resources,
});

function clusterRole(
  name: string,
  rules: Rule[],
  extra: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  return {
    apiVersion,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...bootstrapLabels, ...extra.labels }, annotations },
    ...(extra.aggregateFrom
      ? {
          aggregationRule: {
            clusterRoleSelectors: [
              { matchLabels: { [`rbac.authorization.k8s.io/${extra.aggregateFrom}`]: 'true' } },
            ],
          },
        }
      : {}),
    rules,
  };
}

function clusterRoleBinding(name: string, role: string, groups: string[]): KubeObject {
  return {
    apiVersion,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...bootstrapLabels }, annotations },
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: role },
    subjects: groups.map((g) => ({ apiGroup: rbacGroup, kind: 'Group', name: g })),
  };
}

const aggregateTo = (role: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${role}`]: 'true' });

export const bootstrapClusterRoles: KubeObject[] = [
  clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), { verbs: ['*'], nonResourceURLs: ['*'] }]),
  clusterRole('admin', [], { aggregateFrom: 'aggregate-to-admin' }),
  clusterRole('edit', [], { aggregateFrom: 'aggregate-to-edit', labels: aggregateTo('admin') }),
  clusterRole('view', [], { aggregateFrom: 'aggregate-to-view', labels: aggregateTo('edit') }),
  clusterRole(
    'system:aggregate-to-admin',
    [
      rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      rule(
        [...write.slice(0, 3), 'get', 'list', 'patch', 'update', 'watch'],
        [rbacGroup],
        ['rolebindings', 'roles'],
      ),
    ],
    { labels: aggregateTo('admin') },
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [
      rule(
        read,
        [''],
        ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
      ),
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(write, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
      rule(['create'], [''], ['pods/eviction']),
      rule(
        write,
        [''],
        [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
      ),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(write, ['coordination.k8s.io'], ['leases']),
    ],
    { labels: aggregateTo('edit') },
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      rule(
        read,
        [''],
        [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      ),
      rule(
        read,
        [''],
        [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      ),
      rule(read, [''], ['namespaces']),
      rule(read, ['coordination.k8s.io'], ['leases']),
    ],
    { labels: aggregateTo('view') },
  ),
  clusterRole('system:discovery', [
    {
      verbs: ['get'],
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
    },
  ]),
  clusterRole('system:basic-user', [
    rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
    rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
  ]),
  clusterRole('system:public-info-viewer', [
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
  ]),
];

export const bootstrapClusterRoleBindings: KubeObject[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', [privilegedGroup]),
  clusterRoleBinding('system:discovery', 'system:discovery', [allAuthenticated]),
  clusterRoleBinding('system:basic-user', 'system:basic-user', [allAuthenticated]),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
    allAuthenticated,
    allUnauthenticated,
  ]),
];
