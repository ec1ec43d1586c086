import { createHash } from 'node:crypto';
import type { KubeObject } from '../admission.ts';
import { builtinKinds } from './openapi-builtin-kinds.ts';
import type { BuiltinKind } from './openapi-builtin-kinds.ts';
import { metaComponents, metaPrefix, ref } from './openapi-meta.ts';
import { resourcePaths } from './openapi-paths.ts';
import type { PublishedResource } from './openapi-paths.ts';
import { isRecord } from './schema-props.ts';

/** `cluster.x-k8s.io` → `io.x-k8s.cluster`, the prefix of a CRD's component schema names. */
function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

function listSchema(itemName: string, gvk: { group: string; version: string; kind: string }): object {
  return {
    type: 'object',
    description: `${gvk.kind}List is a list of ${gvk.kind}`,
    required: ['items'],
    properties: {
      apiVersion: {
        type: 'string',
        description: 'APIVersion defines the versioned schema of this representation of an object.',
      },
      items: { type: 'array', description: `List of ${gvk.kind.toLowerCase()}s.`, items: ref(itemName) },
      kind: {
        type: 'string',
        description: 'Kind is a string value representing the REST resource this object represents.',
      },
      metadata: {
        allOf: [ref(`${metaPrefix}.ListMeta`)],
        default: {},
        description: 'Standard list metadata.',
      },
    },
    'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${gvk.kind}List` }],
  };
}

/** A CRD version's schema as published: metadata becomes a reference to ObjectMeta, plus the GVK. */
function publishedCrdSchema(
  schema: Record<string, unknown>,
  gvk: { group: string; version: string; kind: string },
): object {
  const copy = structuredClone(schema);
  const properties = isRecord(copy.properties) ? copy.properties : {};
  copy.type = 'object';
  copy.properties = {
    ...properties,
    apiVersion: properties.apiVersion ?? {
      type: 'string',
      description: 'APIVersion defines the versioned schema of this representation of an object.',
    },
    kind: properties.kind ?? {
      type: 'string',
      description: 'Kind is a string value representing the REST resource this object represents.',
    },
    metadata: {
      allOf: [ref(`${metaPrefix}.ObjectMeta`)],
      description:
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    },
  };
  copy['x-kubernetes-group-version-kind'] = [gvk];
  return copy;
}

interface Entry {
  resource: PublishedResource;
  schemas: Record<string, object>;
}

function crdEntries(group: string, version: string, crds: KubeObject[]): Entry[] {
  const entries: Entry[] = [];
  for (const crd of crds) {
    const spec = isRecord(crd.spec) ? crd.spec : undefined;
    const names = spec && isRecord(spec.names) ? spec.names : undefined;
    if (!spec || !names || spec.group !== group || !Array.isArray(spec.versions)) continue;
    const served = spec.versions.find((v) => isRecord(v) && v.name === version && v.served === true);
    if (!isRecord(served)) continue;
    const kind = String(names.kind);
    const schemaName = `${reversedGroup(group)}.${version}.${kind}`;
    const gvk = { group, version, kind };
    const openAPIV3Schema =
      isRecord(served.schema) && isRecord(served.schema.openAPIV3Schema)
        ? served.schema.openAPIV3Schema
        : { type: 'object' };
    const subresources = isRecord(served.subresources) ? served.subresources : {};
    entries.push({
      resource: {
        ...gvk,
        plural: String(names.plural),
        namespaced: spec.scope !== 'Cluster',
        status: subresources.status !== undefined,
        scale: subresources.scale !== undefined,
        schemaName,
        strategicMerge: false,
      },
      schemas: {
        [schemaName]: publishedCrdSchema(openAPIV3Schema, gvk),
        [`${schemaName}List`]: listSchema(schemaName, gvk),
      },
    });
  }
  return entries;
}

function builtinEntry(kind: BuiltinKind): Entry {
  const gvk = { group: kind.group, version: kind.version, kind: kind.kind };
  return {
    resource: { ...kind, scale: false, strategicMerge: true },
    schemas: {
      [kind.schemaName]: { ...kind.schema, 'x-kubernetes-group-version-kind': [gvk] },
      [`${kind.schemaName}List`]: listSchema(kind.schemaName, gvk),
      ...kind.components,
    },
  };
}

function splitGroupVersion(groupVersion: string): { group: string; version: string } {
  const slash = groupVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: groupVersion }
    : { group: groupVersion.slice(0, slash), version: groupVersion.slice(slash + 1) };
}

/**
 * The OpenAPI v3 document of one group/version (`v1` is the core group), as served at
 * /openapi/v3/apis/{group}/{version} and /openapi/v3/api/v1; undefined when nothing is served there.
 */
export function openApiV3Document(groupVersion: string, crds: KubeObject[]): object | undefined {
  const { group, version } = splitGroupVersion(groupVersion.replace(/^\/?(openapi\/v3\/)?(apis?\/)?/, ''));
  const key = cacheKey(group, version, crds);
  if (key !== undefined && documentCache.has(key)) return documentCache.get(key);
  const document = buildDocument(group, version, crds);
  if (key !== undefined) {
    if (documentCache.size >= 256) documentCache.delete(documentCache.keys().next().value!);
    documentCache.set(key, document);
  }
  return document;
}

/**
 * Documents are rebuilt only when a CRD of their group changes (by name and resourceVersion);
 * CRDs without a resourceVersion are never cached. Cached documents are shared: do not mutate.
 */
const documentCache = new Map<string, object | undefined>();

function cacheKey(group: string, version: string, crds: KubeObject[]): string | undefined {
  const parts = [`${group}/${version}`];
  for (const crd of crds) {
    if (!isRecord(crd.spec) || crd.spec.group !== group) continue;
    if (crd.metadata.resourceVersion === undefined) return undefined;
    parts.push(`${crd.metadata.name}@${crd.metadata.resourceVersion}`);
  }
  return parts.join('|');
}

function buildDocument(group: string, version: string, crds: KubeObject[]): object | undefined {
  const builtins = builtinKinds.filter((k) => k.group === group && k.version === version);
  const entries = builtins.length > 0 ? builtins.map(builtinEntry) : crdEntries(group, version, crds);
  if (entries.length === 0) return undefined;
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = metaComponents(entries.some((e) => e.resource.scale));
  for (const entry of entries) {
    Object.assign(paths, resourcePaths(entry.resource));
    Object.assign(schemas, entry.schemas);
  }
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: '3.0.0',
    info:
      builtins.length > 0
        ? { title: 'Kubernetes', version: 'unversioned' }
        : { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
    paths,
    components: { schemas: sortedSchemas },
  };
}

/** The hash in a document's serverRelativeURL: clients cache per URL, so it changes with the content. */
const hashes = new WeakMap<object, string>();

export function openApiV3Hash(document: object | undefined): string {
  const key = document ?? {};
  const known = hashes.get(key);
  if (known !== undefined) return known;
  const hash = createHash('sha512')
    .update(JSON.stringify(document ?? {}))
    .digest('hex')
    .toUpperCase();
  hashes.set(key, hash);
  return hash;
}

/**
 * The body of GET /openapi/v3. With `crds`, each URL carries the hash of its current document
 * (what kube-apiserver does); without, a hash of the group/version alone.
 */
export function openApiV3Paths(groupVersions: string[], crds?: KubeObject[]): object {
  return {
    paths: Object.fromEntries(
      groupVersions.map((gv) => {
        const key = gv === 'v1' ? 'api/v1' : `apis/${gv}`;
        const hash = openApiV3Hash(crds ? openApiV3Document(gv, crds) : { gv });
        return [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` }];
      }),
    ),
  };
}
