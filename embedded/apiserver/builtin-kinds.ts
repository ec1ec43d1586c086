/** The built-in (non-CRD) kinds the embedded API server serves. */
import type { ResourceType } from './resource-type.ts';

function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    status: false,
    builtin: true,
    storageKey: group ? `${plural}.${group}` : plural,
    selectableFields: [],
    ...extra,
  };
}

export const builtinKinds: ResourceType[] = [
  builtin('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    status: true,
    selectableFields: ['status.phase'],
  }),
  builtin('', 'v1', 'Secret', 'secrets', true, { selectableFields: ['type'] }),
  builtin('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  builtin('', 'v1', 'Event', 'events', true, {
    shortNames: ['ev'],
    selectableFields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  }),
  builtin('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  builtin('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    status: true,
  }),
  builtin('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  builtin('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  builtin('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  builtin('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  ...[
    'LocalSubjectAccessReview',
    'SelfSubjectAccessReview',
    'SelfSubjectRulesReview',
    'SubjectAccessReview',
  ].map((kind) =>
    builtin('authorization.k8s.io', 'v1', kind, `${kind.toLowerCase()}s`, kind.startsWith('Local'), {
      verbs: ['create'],
      review: true,
    }),
  ),
  builtin('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', false, {
    verbs: ['create'],
    review: true,
  }),
];

export const crdResourceKey = 'customresourcedefinitions.apiextensions.k8s.io';
export const namespaceResourceKey = 'namespaces';
