import { metaPrefix, ref } from './openapi-meta.ts';

/**
 * The built-in kinds the embedded server serves (core/v1 Namespace, Secret, ConfigMap, Event;
 * coordination.k8s.io/v1 Lease; apiextensions.k8s.io/v1 CustomResourceDefinition), described as
 * kube-apiserver publishes them, with strategic-merge extensions where kubectl reads them.
 */
export interface BuiltinKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  status: boolean;
  schemaName: string;
  schema: Record<string, unknown>;
  /** Further component schemas this kind references. */
  components?: Record<string, object>;
}

const s = (description: string, extra: object = {}) => ({ type: 'string', description, ...extra });
const int = (description: string, format = 'int32') => ({ type: 'integer', format, description });
const bool = (description: string) => ({ type: 'boolean', description });
const obj = (description: string, properties: object, extra: object = {}) => ({
  type: 'object',
  description,
  properties,
  ...extra,
});
const stringMap = (description: string, format?: string) => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string', ...(format ? { format } : {}) },
});
const timeRef = (description: string) => ({ allOf: [ref(`${metaPrefix}.Time`)], description });
const microTimeRef = (description: string) => ({ allOf: [ref(`${metaPrefix}.MicroTime`)], description });

const head = (kind: string) => ({
  apiVersion: s('APIVersion defines the versioned schema of this representation of an object.'),
  kind: s('Kind is a string value representing the REST resource this object represents.'),
  metadata: {
    allOf: [ref(`${metaPrefix}.ObjectMeta`)],
    default: {},
    description: `Standard object's metadata of the ${kind}.`,
  },
});

const conditionList = (description: string) => ({
  type: 'array',
  description,
  items: obj(
    'A condition.',
    {
      type: s('Type of the condition.'),
      status: s('Status of the condition: True, False, Unknown.'),
      lastTransitionTime: timeRef('Last time the condition transitioned.'),
      reason: s('Unique, one-word, CamelCase reason for the condition.'),
      message: s('Human-readable message.'),
    },
    { required: ['type', 'status'] },
  ),
  'x-kubernetes-list-map-keys': ['type'],
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-patch-merge-key': 'type',
  'x-kubernetes-patch-strategy': 'merge',
});

const objectReference = obj(
  'ObjectReference contains enough information to let you inspect or modify the referred object.',
  {
    apiVersion: s('API version of the referent.'),
    fieldPath: s(
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
    ),
    kind: s('Kind of the referent.'),
    name: s('Name of the referent.'),
    namespace: s('Namespace of the referent.'),
    resourceVersion: s('Specific resourceVersion to which this reference is made, if any.'),
    uid: s('UID of the referent.'),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const builtinKinds: BuiltinKind[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    status: true,
    schemaName: 'io.k8s.api.core.v1.Namespace',
    schema: obj('Namespace provides a scope for Names. Use of multiple namespaces is optional.', {
      ...head('Namespace'),
      spec: obj('Spec defines the behavior of the Namespace.', {
        finalizers: {
          type: 'array',
          description:
            'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.',
          items: { type: 'string' },
          'x-kubernetes-list-type': 'atomic',
        },
      }),
      status: obj('Status describes the current status of a Namespace.', {
        phase: s('Phase is the current lifecycle phase of the namespace.', {
          enum: ['Active', 'Terminating'],
        }),
        conditions: conditionList(
          "Represents the latest available observations of a namespace's current state.",
        ),
      }),
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    status: false,
    schemaName: 'io.k8s.api.core.v1.Secret',
    schema: obj(
      'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
      {
        ...head('Secret'),
        data: stringMap(
          "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string.",
          'byte',
        ),
        immutable: bool(
          'Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).',
        ),
        stringData: stringMap(
          'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.',
        ),
        type: s('Used to facilitate programmatic handling of secret data.'),
      },
    ),
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    status: false,
    schemaName: 'io.k8s.api.core.v1.ConfigMap',
    schema: obj('ConfigMap holds configuration data for pods to consume.', {
      ...head('ConfigMap'),
      binaryData: stringMap('BinaryData contains the binary data.', 'byte'),
      data: stringMap('Data contains the configuration data.'),
      immutable: bool(
        'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).',
      ),
    }),
  },
  {
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    status: false,
    schemaName: 'io.k8s.api.core.v1.Event',
    schema: obj(
      'Event is a report of an event somewhere in the cluster.',
      {
        ...head('Event'),
        action: s('What action was taken/failed regarding to the Regarding object.'),
        count: int('The number of times this event has occurred.'),
        eventTime: microTimeRef('Time when this Event was first observed.'),
        firstTimestamp: timeRef('The time at which the event was first recorded.'),
        involvedObject: {
          allOf: [ref('io.k8s.api.core.v1.ObjectReference')],
          default: {},
          description: 'The object that this event is about.',
        },
        lastTimestamp: timeRef('The time at which the most recent occurrence of this event was recorded.'),
        message: s('A human-readable description of the status of this operation.'),
        reason: s(
          "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
        ),
        related: {
          allOf: [ref('io.k8s.api.core.v1.ObjectReference')],
          description: 'Optional secondary object for more complex actions.',
        },
        reportingComponent: s('Name of the controller that emitted this Event.', { default: '' }),
        reportingInstance: s('ID of the controller instance.', { default: '' }),
        source: obj('The component reporting this event.', {
          component: s('Component from which the event is generated.'),
          host: s('Node name on which the event is generated.'),
        }),
        type: s('Type of this event (Normal, Warning), new types could be added in the future.'),
      },
      { required: ['metadata', 'involvedObject'] },
    ),
    components: { 'io.k8s.api.core.v1.ObjectReference': objectReference },
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
    status: false,
    schemaName: 'io.k8s.api.coordination.v1.Lease',
    schema: obj('Lease defines a lease concept.', {
      ...head('Lease'),
      spec: obj(
        'spec contains the specification of the Lease.',
        {
          acquireTime: microTimeRef('acquireTime is a time when the current lease was acquired.'),
          holderIdentity: s('holderIdentity contains the identity of the holder of a current lease.'),
          leaseDurationSeconds: int(
            'leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it.',
          ),
          leaseTransitions: int('leaseTransitions is the number of transitions of a lease between holders.'),
          preferredHolder: s(
            'PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up.',
          ),
          renewTime: microTimeRef(
            'renewTime is a time when the current holder of a lease has last updated the lease.',
          ),
          strategy: s(
            'Strategy indicates the strategy for picking the leader for coordinated leader election.',
          ),
        },
        { default: {} },
      ),
    }),
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    status: true,
    schemaName: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    schema: obj(
      'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
      {
        ...head('CustomResourceDefinition'),
        spec: obj(
          'spec describes how the user wants the resources to appear',
          {
            conversion: obj(
              'conversion defines conversion settings for the CRD.',
              { strategy: s('strategy specifies how custom resources are converted between versions.') },
              { 'x-kubernetes-preserve-unknown-fields': true },
            ),
            group: s('group is the API group of the defined custom resource.'),
            names: obj(
              'names specify the resource and kind names for the custom resource.',
              {
                categories: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
                kind: s('kind is the serialized kind of the resource.'),
                listKind: s('listKind is the serialized kind of the list for this resource.'),
                plural: s('plural is the plural name of the resource to serve.'),
                shortNames: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
                singular: s('singular is the singular name of the resource.'),
              },
              { required: ['plural', 'kind'] },
            ),
            preserveUnknownFields: bool(
              'preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage.',
            ),
            scope: s('scope indicates whether the defined custom resource is cluster- or namespace-scoped.'),
            versions: {
              type: 'array',
              description: 'versions is the list of all API versions of the defined custom resource.',
              items: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
                required: ['name', 'served', 'storage'],
              },
              'x-kubernetes-list-type': 'atomic',
            },
          },
          { required: ['group', 'names', 'scope', 'versions'] },
        ),
        status: obj(
          'status indicates the actual state of the CustomResourceDefinition',
          {},
          { 'x-kubernetes-preserve-unknown-fields': true },
        ),
      },
      { required: ['spec'] },
    ),
  },
];
