import type { KubeConfig } from '@kubernetes/client-node';
import { statusToDomainError, toDomainError } from './api-errors.ts';
import type { DomainError, Result } from './domain-error.ts';
import { isKubeObject, type KubeObject } from './kube-object.ts';
import { kubeRequester, type KubeRequest, type KubeRequester } from './kube-request.ts';
import type { ResourceTarget } from './kube-transport.ts';
import { apiVersionOf, collectionPath, objectPath } from './resource-path.ts';

/** Which object: its namespace ('' or omitted for cluster-scoped kinds) and name. */
export interface ObjectKey {
  namespace?: string;
  name: string;
}

export interface WriteOptions {
  /** Server-side dry run: validated and admitted, nothing stored. */
  dryRun?: boolean;
}

export interface CreateOptions extends WriteOptions {
  fieldManager?: string;
}

export interface ApplyOptions extends WriteOptions {
  /** Who owns the applied fields (server-side apply's field manager). */
  fieldManager: string;
  /** Take over fields another manager owns instead of failing with CONFLICT. */
  force?: boolean;
}

export interface PatchOptions extends WriteOptions {
  /** Optimistic concurrency: CONFLICT unless the object still has this resourceVersion. */
  resourceVersion?: string;
  subresource?: 'status';
  fieldManager?: string;
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: PropagationPolicy;
  /** CONFLICT unless the object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ReplaceScaleOptions extends WriteOptions {
  resourceVersion?: string;
}

/** The scale subresource (autoscaling/v1 Scale) of a scalable object. */
export interface Scale {
  name: string;
  namespace?: string;
  resourceVersion: string;
  /** Desired replicas (spec). */
  replicas: number;
  /** Observed replicas (status). */
  statusReplicas: number;
  /** Label selector of the replicas, in string form. */
  selector?: string;
}

/**
 * The write verbs mutations need, for custom resources and core kinds alike. Every verb
 * answers a Result: an HTTP error or a lost connection comes back as a typed DomainError
 * (VALIDATION with field paths, NOT_FOUND, ALREADY_EXISTS, CONFLICT, FORBIDDEN, UNAVAILABLE).
 */
export interface KubeWriter {
  /** One object, as a Result (NOT_FOUND is a value here, not an exception). */
  read(target: ResourceTarget, key: ObjectKey): Promise<Result<KubeObject>>;
  /**
   * Only the object's metadata (PartialObjectMetadata): whether a Secret exists without its
   * data ever crossing the wire.
   */
  readMetadata(target: ResourceTarget, key: ObjectKey): Promise<Result<KubeObject>>;
  create(target: ResourceTarget, object: KubeObject, options?: CreateOptions): Promise<Result<KubeObject>>;
  /** Server-side apply: `object` carries apiVersion, kind, metadata.name (and namespace). */
  apply(target: ResourceTarget, object: KubeObject, options: ApplyOptions): Promise<Result<KubeObject>>;
  mergePatch(
    target: ResourceTarget,
    key: ObjectKey,
    patch: Record<string, unknown>,
    options?: PatchOptions,
  ): Promise<Result<KubeObject>>;
  jsonPatch(
    target: ResourceTarget,
    key: ObjectKey,
    operations: JsonPatchOperation[],
    options?: PatchOptions,
  ): Promise<Result<KubeObject>>;
  /** The object as the server answered (still there while finalizers run), or null once gone. */
  delete(target: ResourceTarget, key: ObjectKey, options?: DeleteOptions): Promise<Result<KubeObject | null>>;
  getScale(target: ResourceTarget, key: ObjectKey): Promise<Result<Scale>>;
  replaceScale(
    target: ResourceTarget,
    key: ObjectKey,
    replicas: number,
    options?: ReplaceScaleOptions,
  ): Promise<Result<Scale>>;
}

function describe(verb: string, target: ResourceTarget, key: { namespace?: string; name?: string }): string {
  const resource = target.group ? `${target.plural}.${target.group}` : target.plural;
  const name = key.namespace ? `${key.namespace}/${key.name ?? ''}` : (key.name ?? '');
  return `${verb} ${resource} ${name}`.trimEnd();
}

function dryRunQuery(options: WriteOptions | undefined): Record<string, string | undefined> {
  return options?.dryRun ? { dryRun: 'All' } : {};
}

function internal(what: string, why: string): DomainError {
  return { code: 'INTERNAL', message: `${what}: ${why}` };
}

/** Sends one request; a non-2xx answer or a lost connection becomes a DomainError value. */
async function send(request: KubeRequester, req: KubeRequest, what: string): Promise<Result<unknown>> {
  try {
    const response = await request(req);
    if (response.status >= 200 && response.status < 300) return { ok: true, value: response.body };
    return { ok: false, error: statusToDomainError(response.status, response.body, what) };
  } catch (err) {
    return { ok: false, error: toDomainError(err, what) };
  }
}

async function sendForObject(
  request: KubeRequester,
  req: KubeRequest,
  what: string,
): Promise<Result<KubeObject>> {
  const sent = await send(request, req, what);
  if (!sent.ok) return sent;
  if (!isKubeObject(sent.value))
    return { ok: false, error: internal(what, 'the API server answered no object') };
  return { ok: true, value: sent.value };
}

function scaleOf(body: unknown, what: string): Result<Scale> {
  if (!isKubeObject(body)) return { ok: false, error: internal(what, 'the API server answered no Scale') };
  const spec = body['spec'] as { replicas?: unknown } | undefined;
  const status = body['status'] as { replicas?: unknown; selector?: unknown } | undefined;
  return {
    ok: true,
    value: {
      name: body.metadata.name,
      ...(body.metadata.namespace ? { namespace: body.metadata.namespace } : {}),
      resourceVersion: body.metadata.resourceVersion ?? '',
      replicas: typeof spec?.replicas === 'number' ? spec.replicas : 0,
      statusReplicas: typeof status?.replicas === 'number' ? status.replicas : 0,
      ...(typeof status?.selector === 'string' ? { selector: status.selector } : {}),
    },
  };
}

/** Merge patches carry the precondition in the body: the server rejects a stale resourceVersion with 409. */
function withResourceVersion(patch: Record<string, unknown>, resourceVersion: string | undefined) {
  if (resourceVersion === undefined) return patch;
  const metadata = (patch['metadata'] as Record<string, unknown> | undefined) ?? {};
  return { ...patch, metadata: { ...metadata, resourceVersion } };
}

/**
 * The write verbs over any requester. JSON patches get their precondition as a `replace` of
 * metadata.resourceVersion (a stale value answers 409 Conflict, like a merge patch; a failed
 * `test` operation would answer 422 and read as a validation error).
 */
export function kubeWriter(request: KubeRequester): KubeWriter {
  const patch = (
    target: ResourceTarget,
    key: ObjectKey,
    body: unknown,
    contentType: string,
    options: PatchOptions | undefined,
    verb: string,
  ): Promise<Result<KubeObject>> =>
    sendForObject(
      request,
      {
        method: 'PATCH',
        path: objectPath(target, key.namespace, key.name, options?.subresource),
        query: { ...dryRunQuery(options), fieldManager: options?.fieldManager },
        body,
        contentType,
      },
      describe(verb, target, key),
    );

  return {
    read: (target, key) =>
      sendForObject(
        request,
        { method: 'GET', path: objectPath(target, key.namespace, key.name) },
        describe('get', target, key),
      ),

    readMetadata: (target, key) =>
      sendForObject(
        request,
        {
          method: 'GET',
          path: objectPath(target, key.namespace, key.name),
          accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
        },
        describe('get metadata of', target, key),
      ),

    create: (target, object, options) =>
      sendForObject(
        request,
        {
          method: 'POST',
          path: collectionPath(target, object.metadata.namespace),
          query: { ...dryRunQuery(options), fieldManager: options?.fieldManager },
          body: { ...object, apiVersion: object.apiVersion || apiVersionOf(target) },
        },
        describe('create', target, object.metadata),
      ),

    apply: (target, object, options) =>
      sendForObject(
        request,
        {
          method: 'PATCH',
          path: objectPath(target, object.metadata.namespace, object.metadata.name),
          query: {
            ...dryRunQuery(options),
            fieldManager: options.fieldManager,
            force: options.force ? 'true' : undefined,
          },
          // JSON is YAML: the apply content type takes either.
          body: { ...object, apiVersion: object.apiVersion || apiVersionOf(target) },
          contentType: 'application/apply-patch+yaml',
        },
        describe('apply', target, object.metadata),
      ),

    mergePatch: (target, key, body, options) =>
      patch(
        target,
        key,
        withResourceVersion(body, options?.resourceVersion),
        'application/merge-patch+json',
        options,
        'patch',
      ),

    jsonPatch: (target, key, operations, options) =>
      patch(
        target,
        key,
        options?.resourceVersion === undefined
          ? operations
          : [
              { op: 'replace', path: '/metadata/resourceVersion', value: options.resourceVersion },
              ...operations,
            ],
        'application/json-patch+json',
        options,
        'patch',
      ),

    async delete(target, key, options) {
      const what = describe('delete', target, key);
      const sent = await send(
        request,
        {
          method: 'DELETE',
          path: objectPath(target, key.namespace, key.name),
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            ...(options?.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
            ...(options?.preconditions ? { preconditions: options.preconditions } : {}),
            ...(options?.dryRun ? { dryRun: ['All'] } : {}),
          },
        },
        what,
      );
      if (!sent.ok) return sent;
      // Deleted at once: some servers answer a `Status`, others the object as it was; an object
      // still carrying finalizers stays until its controllers remove them.
      const object = isKubeObject(sent.value) && sent.value.kind !== 'Status' ? sent.value : null;
      const finalizers = object?.metadata['finalizers'];
      const pending =
        object?.metadata.deletionTimestamp && Array.isArray(finalizers) && finalizers.length > 0;
      return { ok: true, value: pending ? object : null };
    },

    async getScale(target, key) {
      const what = describe('get scale of', target, key);
      const sent = await send(
        request,
        { method: 'GET', path: objectPath(target, key.namespace, key.name, 'scale') },
        what,
      );
      return sent.ok ? scaleOf(sent.value, what) : sent;
    },

    async replaceScale(target, key, replicas, options) {
      const what = describe('scale', target, key);
      const sent = await send(
        request,
        {
          method: 'PUT',
          path: objectPath(target, key.namespace, key.name, 'scale'),
          query: dryRunQuery(options),
          body: {
            apiVersion: 'autoscaling/v1',
            kind: 'Scale',
            metadata: {
              name: key.name,
              ...(key.namespace ? { namespace: key.namespace } : {}),
              ...(options?.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
            },
            spec: { replicas },
          },
        },
        what,
      );
      return sent.ok ? scaleOf(sent.value, what) : sent;
    },
  };
}

/** The write verbs over a kubeconfig, sharing list-watch's keep-alive agent. */
export function clientNodeWriter(config: KubeConfig): KubeWriter {
  return kubeWriter(kubeRequester(config));
}

/** A writer for connections built without one: every verb answers UNAVAILABLE. */
export function unavailableWriter(message: string): KubeWriter {
  const refuse = (): Promise<{ ok: false; error: DomainError }> =>
    Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message } });
  return {
    read: refuse,
    readMetadata: refuse,
    create: refuse,
    apply: refuse,
    mergePatch: refuse,
    jsonPatch: refuse,
    delete: refuse,
    getScale: refuse,
    replaceScale: refuse,
  };
}
