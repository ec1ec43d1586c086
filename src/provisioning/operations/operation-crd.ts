import type { Result } from '../../k8s/domain-error.ts';
import type { KubeObject } from '../../k8s/kube-object.ts';
import type { ResourceTarget } from '../../k8s/kube-transport.ts';
import type { KubeWriter } from '../../k8s/kube-writer.ts';
import { FIELD_MANAGER } from '../field-manager.ts';

export const OPERATION_GROUP = 'capi-gateway.dev';
export const OPERATION_VERSION = 'v1alpha1';
export const operationKind = { group: OPERATION_GROUP, kind: 'Operation' } as const;

export const operationTarget: ResourceTarget = {
  group: OPERATION_GROUP,
  version: OPERATION_VERSION,
  plural: 'operations',
  namespaced: true,
};

const crdTarget: ResourceTarget = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
};

const preserve = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as const;
const address = {
  type: 'object',
  properties: {
    managementCluster: { type: 'string' },
    group: { type: 'string' },
    kind: { type: 'string' },
    namespace: { type: 'string' },
    name: { type: 'string' },
  },
} as const;
const phase = { type: 'string', enum: ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] } as const;

/**
 * The Operation CRD: one object per mutation, in the namespace of what it changes, so
 * `kubectl get operations -A` is the gateway's audit trail and a restarted (or another)
 * replica finds every operation still running. Status is a subresource: the driver writes
 * it, users write only `spec.cancelRequested`.
 */
export const operationCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `operations.${OPERATION_GROUP}` } as KubeObject['metadata'],
  spec: {
    group: OPERATION_GROUP,
    scope: 'Namespaced',
    names: { plural: 'operations', singular: 'operation', kind: 'Operation', listKind: 'OperationList' },
    versions: [
      {
        name: OPERATION_VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Type', type: 'string', jsonPath: '.spec.type' },
          { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
          { name: 'Target', type: 'string', jsonPath: '.spec.target.name' },
          { name: 'Step', type: 'string', priority: 1, jsonPath: '.status.currentStep' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['type'],
                properties: {
                  type: { type: 'string' },
                  target: address,
                  parent: address,
                  input: preserve,
                  requestedBy: { type: 'string' },
                  // The requester's groups (with authentication): the driver writes as requestedBy
                  // with these groups, on whichever replica drives it.
                  requestedGroups: { type: 'array', items: { type: 'string' } },
                  cancelRequested: { type: 'boolean' },
                },
              },
              status: {
                type: 'object',
                properties: {
                  phase,
                  currentStep: { type: 'string' },
                  progress: { type: 'number' },
                  startedAt: { type: 'string', format: 'date-time' },
                  finishedAt: { type: 'string', format: 'date-time' },
                  error: { type: 'string' },
                  drivenBy: { type: 'string' },
                  children: { type: 'array', items: address },
                  steps: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['name', 'phase'],
                      properties: {
                        name: { type: 'string' },
                        phase,
                        startedAt: { type: 'string', format: 'date-time' },
                        finishedAt: { type: 'string', format: 'date-time' },
                        message: { type: 'string' },
                        acted: { type: 'boolean' },
                        writtenGeneration: { type: 'integer' },
                        progress: { type: 'number' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

/** Whether an installed Operation CRD keeps spec.requestedGroups (an older one prunes it). */
function keepsRequestedGroups(crd: KubeObject): boolean {
  const versions = (crd['spec'] as { versions?: unknown } | undefined)?.versions;
  if (!Array.isArray(versions)) return false;
  const ours = versions.find((v) => (v as { name?: unknown }).name === OPERATION_VERSION) as
    | { schema?: { openAPIV3Schema?: { properties?: { spec?: { properties?: Record<string, unknown> } } } } }
    | undefined;
  const spec = ours?.schema?.openAPIV3Schema?.properties?.spec?.properties;
  return spec !== undefined && 'requestedGroups' in spec;
}

/**
 * Installs the CRD when it is missing. An existing one is left alone — another replica (maybe a
 * newer gateway) installed it, and replicas must not fight over its schema — unless it lacks
 * spec.requestedGroups: the API server would prune the requester's groups and operations would
 * act as the user without them. Helm never upgrades the CRDs it installed, so the gateway does,
 * once, the older one only. A CRD it may not update is a notice (operations still run); the
 * value is that notice, if any.
 */
export async function ensureOperationCrd(writer: KubeWriter): Promise<Result<string | undefined>> {
  const key = { name: operationCrd.metadata.name };
  const existing = await writer.read(crdTarget, key);
  if (existing.ok) {
    if (keepsRequestedGroups(existing.value)) return { ok: true, value: undefined };
    const updated = await writer.mergePatch(
      crdTarget,
      key,
      { spec: { versions: (operationCrd['spec'] as { versions: unknown }).versions } },
      { resourceVersion: existing.value.metadata.resourceVersion, fieldManager: FIELD_MANAGER },
    );
    if (updated.ok) return { ok: true, value: undefined };
    // Changed meanwhile (another replica updating it): read it again on the next attempt.
    if (updated.error.code === 'CONFLICT' || updated.error.code === 'UNAVAILABLE') return updated;
    return {
      ok: true,
      value:
        `the installed Operation CRD lacks spec.requestedGroups and cannot be updated (${updated.error.message}): ` +
        'operations of authenticated users act as the user without their groups until it is ' +
        '(apply deploy/helm/capi-gateway/crds/operations.capi-gateway.dev.yaml)',
    };
  }
  if (existing.error.code !== 'NOT_FOUND') return existing;
  const created = await writer.create(crdTarget, operationCrd);
  if (created.ok || created.error.code === 'ALREADY_EXISTS') return { ok: true, value: undefined };
  return created;
}
