import { metaPrefix, ref, scaleSchemaName } from './openapi-meta.ts';

/** What the paths of one resource need to know. */
export interface PublishedResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  status: boolean;
  scale: boolean;
  schemaName: string;
  /** Built-in kinds accept strategic merge patches; custom resources answer 415. */
  strategicMerge: boolean;
}

type Operation = Record<string, unknown>;
type Gvk = { group: string; version: string; kind: string };

const query = (name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string') => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});

const writeParams = [
  query('dryRun', 'When present, indicates that modifications should not be persisted.'),
  query(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  query(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
];
const listParams = [
  query('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
  query('continue', 'The continue option should be set when retrieving more results from the server.'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  query('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  query(
    'resourceVersion',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  query(
    'resourceVersionMatch',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  query('sendInitialEvents', 'sendInitialEvents=true may be set together with watch=true.', 'boolean'),
  query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  query(
    'watch',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
    'boolean',
  ),
];
const deleteParams = [
  query('dryRun', 'When present, indicates that modifications should not be persisted.'),
  query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  query('orphanDependents', 'Deprecated: please use the PropagationPolicy.', 'boolean'),
  query(
    'propagationPolicy',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
];
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  description,
  required: true,
  schema: { type: 'string', uniqueItems: true },
});
const pretty = query('pretty', "If 'true', then the output is pretty printed.");

const json = (schemaName: string) => ({
  'application/json': { schema: ref(schemaName) },
  'application/yaml': { schema: ref(schemaName) },
});
const ok = (schemaName: string, codes: string[] = ['200']) => ({
  ...Object.fromEntries(
    codes.map((code) => [
      code,
      { description: code === '201' ? 'Created' : 'OK', content: json(schemaName) },
    ]),
  ),
  '401': { description: 'Unauthorized' },
});

function camel(group: string, version: string): string {
  const parts = (group === '' ? 'core' : group)
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1));
  return parts.join('') + version.charAt(0).toUpperCase() + version.slice(1);
}

function operation(
  r: PublishedResource,
  verb: string,
  action: string,
  suffix: string,
  gvk: Gvk,
  rest: Operation,
): Operation {
  const scope = r.namespaced && verb !== 'listForAllNamespaces' ? 'Namespaced' : '';
  const kindPart = verb === 'listForAllNamespaces' ? `${r.kind}ForAllNamespaces` : r.kind;
  const opVerb = verb === 'listForAllNamespaces' ? 'list' : verb;
  const tag = `${camel(r.group, r.version).charAt(0).toLowerCase()}${camel(r.group, '').slice(1)}_${r.version}`;
  return {
    tags: [tag],
    operationId: `${opVerb}${camel(r.group, r.version)}${scope}${kindPart}${suffix}`,
    ...rest,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: gvk.group, version: gvk.version, kind: gvk.kind },
  };
}

function patchBody(r: PublishedResource): Operation {
  const schema = { schema: ref(`${metaPrefix}.Patch`) };
  return {
    content: {
      'application/apply-patch+yaml': schema,
      'application/json-patch+json': schema,
      'application/merge-patch+json': schema,
      ...(r.strategicMerge ? { 'application/strategic-merge-patch+json': schema } : {}),
    },
    required: true,
  };
}

function itemOperations(r: PublishedResource, suffix: '' | 'Status' | 'Scale'): Record<string, Operation> {
  const gvk: Gvk = suffix === 'Scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : r;
  const schemaName = suffix === 'Scale' ? scaleSchemaName : r.schemaName;
  const what =
    suffix === '' ? `the specified ${r.kind}` : `${suffix.toLowerCase()} of the specified ${r.kind}`;
  const body = { content: json(schemaName), required: true };
  const ops: Record<string, Operation> = {
    get: operation(r, 'read', 'get', suffix, gvk, {
      description: `read ${what}`,
      // Custom resources take resourceVersion on reads; built-in kinds do not publish it.
      ...(r.strategicMerge
        ? {}
        : {
            parameters: [
              query(
                'resourceVersion',
                'resourceVersion sets a constraint on what resource versions a request may be served from.',
              ),
            ],
          }),
      responses: ok(schemaName),
    }),
    put: operation(r, 'replace', 'put', suffix, gvk, {
      description: `replace ${what}`,
      parameters: writeParams,
      requestBody: body,
      responses: ok(schemaName, ['200', '201']),
    }),
    patch: operation(r, 'patch', 'patch', suffix, gvk, {
      description: `partially update ${what}`,
      parameters: [...writeParams, query('force', 'Force is going to "force" Apply requests.', 'boolean')],
      requestBody: patchBody(r),
      responses: ok(schemaName, r.strategicMerge ? ['200', '201'] : ['200']),
    }),
  };
  if (suffix === '') {
    ops.delete = operation(r, 'delete', 'delete', '', gvk, {
      description: `delete ${what}`,
      parameters: deleteParams,
      requestBody: { content: json(`${metaPrefix}.DeleteOptions`) },
      responses: ok(`${metaPrefix}.Status`, ['200', '202']),
    });
  }
  return ops;
}

function collectionOperations(r: PublishedResource): Record<string, Operation> {
  const listName = `${r.schemaName}List`;
  return {
    get: operation(r, 'list', 'list', '', r, {
      description: `list objects of kind ${r.kind}`,
      parameters: listParams,
      responses: ok(listName),
    }),
    post: operation(r, 'create', 'post', '', r, {
      description: `create a ${r.kind}`,
      parameters: writeParams,
      requestBody: { content: json(r.schemaName), required: true },
      responses: ok(r.schemaName, ['200', '201', '202']),
    }),
    delete: operation(r, 'deletecollection', 'deletecollection', '', r, {
      description: `delete collection of ${r.kind}`,
      parameters: [
        ...deleteParams,
        ...listParams.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'),
      ],
      responses: ok(`${metaPrefix}.Status`),
    }),
  };
}

/** The REST paths of one resource, with the operations and extensions kube-apiserver publishes. */
export function resourcePaths(r: PublishedResource): Record<string, object> {
  const root = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const base = r.namespaced ? `${root}/namespaces/{namespace}/${r.plural}` : `${root}/${r.plural}`;
  const ns = r.namespaced
    ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')]
    : [];
  const named = [pathParam('name', `name of the ${r.kind}`), ...ns, pretty];
  const paths: Record<string, object> = {
    [base]: { ...collectionOperations(r), parameters: [...ns, pretty] },
    [`${base}/{name}`]: { ...itemOperations(r, ''), parameters: named },
  };
  if (r.status) paths[`${base}/{name}/status`] = { ...itemOperations(r, 'Status'), parameters: named };
  if (r.scale) paths[`${base}/{name}/scale`] = { ...itemOperations(r, 'Scale'), parameters: named };
  if (r.namespaced) {
    paths[`${root}/${r.plural}`] = {
      get: operation(r, 'listForAllNamespaces', 'list', '', r, {
        description: `list objects of kind ${r.kind}`,
        parameters: listParams,
        responses: ok(`${r.schemaName}List`),
      }),
      parameters: [pretty],
    };
  }
  return paths;
}
