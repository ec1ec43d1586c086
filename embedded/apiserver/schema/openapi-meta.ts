/**
 * The meta/v1 (and autoscaling/v1 Scale) component schemas every OpenAPI v3 document references,
 * with the list and patch extensions kube-apiserver publishes for them.
 */
export const metaPrefix = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const refAllOf = (name: string, description: string, extra: object = {}) => ({
  allOf: [ref(name)],
  description,
  ...extra,
});
const str = (description: string) => ({ type: 'string', description, default: '' });
const stringMap = (description: string) => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string', default: '' },
});

const time = `${metaPrefix}.Time`;

const ownerReference = {
  type: 'object',
  description:
    'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
  required: ['apiVersion', 'kind', 'name', 'uid'],
  properties: {
    apiVersion: str('API version of the referent.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    controller: {
      type: 'boolean',
      description: 'If true, this reference points to the managing controller.',
    },
    blockOwnerDeletion: {
      type: 'boolean',
      description:
        'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
    },
  },
  'x-kubernetes-map-type': 'atomic',
};

const managedFieldsEntry = {
  type: 'object',
  description:
    'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
  properties: {
    apiVersion: {
      type: 'string',
      description: 'APIVersion defines the version of this resource that this field set applies to.',
    },
    fieldsType: {
      type: 'string',
      description: 'FieldsType is the discriminator for the different fields format and version.',
    },
    fieldsV1: {
      type: 'object',
      description: 'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.',
    },
    manager: {
      type: 'string',
      description: 'Manager is an identifier of the workflow managing these fields.',
    },
    operation: {
      type: 'string',
      description: 'Operation is the type of operation which lead to this ManagedFieldsEntry being created.',
    },
    subresource: {
      type: 'string',
      description: 'Subresource is the name of the subresource used to update that object.',
    },
    time: refAllOf(time, 'Time is the timestamp of when the ManagedFields entry was added.'),
  },
};

const objectMeta = {
  type: 'object',
  description:
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  properties: {
    annotations: stringMap(
      'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.',
    ),
    creationTimestamp: refAllOf(
      time,
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
    ),
    deletionGracePeriodSeconds: {
      type: 'integer',
      format: 'int64',
      description:
        'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.',
    },
    deletionTimestamp: refAllOf(
      time,
      'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
    ),
    finalizers: {
      type: 'array',
      description: 'Must be empty before the object is deleted from the registry.',
      items: { type: 'string', default: '' },
      'x-kubernetes-list-type': 'set',
      'x-kubernetes-patch-strategy': 'merge',
    },
    generateName: {
      type: 'string',
      description:
        'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
    },
    generation: {
      type: 'integer',
      format: 'int64',
      description: 'A sequence number representing a specific generation of the desired state.',
    },
    labels: stringMap(
      'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
    ),
    managedFields: {
      type: 'array',
      description:
        'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
      items: { allOf: [ref(`${metaPrefix}.ManagedFieldsEntry`)], default: {} },
      'x-kubernetes-list-type': 'atomic',
    },
    name: { type: 'string', description: 'Name must be unique within a namespace.' },
    namespace: {
      type: 'string',
      description: 'Namespace defines the space within which each name must be unique.',
    },
    ownerReferences: {
      type: 'array',
      description: 'List of objects depended by this object.',
      items: { allOf: [ref(`${metaPrefix}.OwnerReference`)], default: {} },
      'x-kubernetes-list-map-keys': ['uid'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'uid',
      'x-kubernetes-patch-strategy': 'merge',
    },
    resourceVersion: {
      type: 'string',
      description: 'An opaque value that represents the internal version of this object.',
    },
    selfLink: {
      type: 'string',
      description:
        'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
    },
    uid: { type: 'string', description: 'UID is the unique in time and space value for this object.' },
  },
};

const listMeta = {
  type: 'object',
  description:
    'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
  properties: {
    continue: {
      type: 'string',
      description: 'continue may be set if the user set a limit on the number of items returned.',
    },
    remainingItemCount: {
      type: 'integer',
      format: 'int64',
      description:
        'remainingItemCount is the number of subsequent items in the list which are not included in this list response.',
    },
    resourceVersion: {
      type: 'string',
      description: "String that identifies the server's internal version of this object.",
    },
    selfLink: {
      type: 'string',
      description:
        'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
    },
  },
};

const status = {
  type: 'object',
  description: "Status is a return value for calls that don't return other objects.",
  properties: {
    apiVersion: { type: 'string' },
    code: {
      type: 'integer',
      format: 'int32',
      description: 'Suggested HTTP return code for this status, 0 if not set.',
    },
    details: {
      type: 'object',
      description: 'Extended data associated with the reason.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    kind: { type: 'string' },
    message: { type: 'string', description: 'A human-readable description of the status of this operation.' },
    metadata: refAllOf(`${metaPrefix}.ListMeta`, 'Standard list metadata.', { default: {} }),
    reason: {
      type: 'string',
      description: 'A machine-readable description of why this operation is in the "Failure" status.',
    },
    status: { type: 'string', description: 'Status of the operation. One of: "Success" or "Failure".' },
  },
  'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
};

const deleteOptions = {
  type: 'object',
  description: 'DeleteOptions may be provided when deleting an API object.',
  properties: {
    apiVersion: { type: 'string' },
    dryRun: { type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'atomic' },
    gracePeriodSeconds: { type: 'integer', format: 'int64' },
    kind: { type: 'string' },
    orphanDependents: { type: 'boolean' },
    preconditions: {
      type: 'object',
      properties: { resourceVersion: { type: 'string' }, uid: { type: 'string' } },
    },
    propagationPolicy: {
      type: 'string',
      description:
        "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
    },
  },
};

const scale = {
  type: 'object',
  description: 'Scale represents a scaling request for a resource.',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: refAllOf(`${metaPrefix}.ObjectMeta`, 'Standard object metadata.', { default: {} }),
    spec: {
      type: 'object',
      default: {},
      properties: {
        replicas: {
          type: 'integer',
          format: 'int32',
          description: 'replicas is the desired number of instances for the scaled object.',
        },
      },
    },
    status: {
      type: 'object',
      default: {},
      required: ['replicas'],
      properties: {
        replicas: {
          type: 'integer',
          format: 'int32',
          default: 0,
          description: 'replicas is the actual number of observed instances of the scaled object.',
        },
        selector: {
          type: 'string',
          description: 'selector is the label query over pods that should match the replicas count.',
        },
      },
    },
  },
  'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
};

export const scaleSchemaName = 'io.k8s.api.autoscaling.v1.Scale';

/** The shared components of every document; `withScale` adds autoscaling/v1 Scale. */
export function metaComponents(withScale: boolean): Record<string, object> {
  return {
    [`${metaPrefix}.DeleteOptions`]: deleteOptions,
    [`${metaPrefix}.ListMeta`]: listMeta,
    [`${metaPrefix}.ManagedFieldsEntry`]: managedFieldsEntry,
    [`${metaPrefix}.ObjectMeta`]: objectMeta,
    [`${metaPrefix}.OwnerReference`]: ownerReference,
    [`${metaPrefix}.Patch`]: {
      type: 'object',
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    },
    [`${metaPrefix}.Status`]: status,
    [time]: {
      type: 'string',
      format: 'date-time',
      description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
    },
    [`${metaPrefix}.MicroTime`]: {
      type: 'string',
      format: 'date-time',
      description: 'MicroTime is version of Time with microsecond level precision.',
    },
    ...(withScale ? { [scaleSchemaName]: scale } : {}),
  };
}
