import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ManagementClusterCache } from '../../capi/management-cluster-cache.ts';
import type { ObjectAddress } from '../../capi/views.ts';
import type { Result } from '../../k8s/domain-error.ts';
import type { KindCache, KindChange } from '../../k8s/kind-cache.ts';
import type { KubeObject } from '../../k8s/kube-object.ts';
import type { KubeWriter } from '../../k8s/kube-writer.ts';
import { OPERATION_GROUP, OPERATION_VERSION, operationKind, operationTarget } from './operation-crd.ts';
import { operationRecordOf, type OperationRecord, type OperationStatus } from './operation-record.ts';
import type { StartOperationRequest } from './operation-type.ts';
import { FIELD_MANAGER } from '../field-manager.ts';

export type OperationChange = KindChange<OperationRecord>;

const labels = {
  type: `${OPERATION_GROUP}/type`,
  targetKind: `${OPERATION_GROUP}/target-kind`,
  targetName: `${OPERATION_GROUP}/target-name`,
} as const;

function byCreation(a: OperationRecord, b: OperationRecord): number {
  const at = a.createdAt ?? '';
  const bt = b.createdAt ?? '';
  return at < bt ? -1 : at > bt ? 1 : a.address.name < b.address.name ? -1 : 1;
}

function kebab(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** A DNS-1123 label value: label values are at most 63 characters. */
function labelValue(value: string): string {
  return value
    .slice(0, 63)
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

function addressSpec(a: ObjectAddress) {
  return {
    managementCluster: a.managementCluster,
    group: a.group,
    kind: a.kind,
    namespace: a.namespace,
    name: a.name,
  };
}

/** A merge patch keeps keys it does not mention: the ones the new status dropped are nulled. */
function withRemovals(before: OperationStatus, after: OperationStatus): Record<string, unknown> {
  const removed = Object.keys(before).filter((key) => !(key in after));
  return { ...Object.fromEntries(removed.map((key) => [key, null])), ...after };
}

/**
 * The Operation objects of one management cluster: a watch-fed cache (the same list+watch
 * machinery as the CAPI kinds), and the writes that create them, request a cancel and record
 * their status.
 */
export class OperationStore {
  private readonly kind: KindCache<OperationRecord>;
  private readonly listeners = new Set<(change: OperationChange) => void>();

  constructor(private readonly cache: ManagementClusterCache) {
    const mc = cache.name;
    this.kind = cache.connection.watch<OperationRecord>(operationKind, {
      transform: (object) => operationRecordOf(object, mc),
      indexers: {},
      order: byCreation,
      onChange: (change) => {
        for (const listener of [...this.listeners]) listener(change);
      },
    });
  }

  get managementCluster(): string {
    return this.cache.name;
  }

  private get writer(): KubeWriter {
    return this.cache.connection.writer;
  }

  /** True once the Operation objects have been listed (the CRD exists and the watch runs). */
  get synced(): boolean {
    return this.kind.status.state === 'watching' && this.kind.status.listed;
  }

  get(namespace: string, name: string): OperationRecord | undefined {
    return this.kind.store.get(namespace, name);
  }

  list(): OperationRecord[] {
    return [...this.kind.store.list()];
  }

  onChange(listener: (change: OperationChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async create(request: StartOperationRequest): Promise<Result<OperationRecord>> {
    const name = request.name ?? `${kebab(request.type)}-${randomBytes(4).toString('hex')}`;
    const object: KubeObject = {
      apiVersion: `${OPERATION_GROUP}/${OPERATION_VERSION}`,
      kind: operationKind.kind,
      metadata: {
        name,
        namespace: request.namespace,
        labels: {
          [labels.type]: labelValue(request.type),
          ...(request.target
            ? {
                [labels.targetKind]: labelValue(request.target.kind),
                [labels.targetName]: labelValue(request.target.name),
              }
            : {}),
        },
      } as unknown as KubeObject['metadata'],
      spec: {
        type: request.type,
        ...(request.target ? { target: addressSpec(request.target) } : {}),
        ...(request.parent ? { parent: addressSpec(request.parent) } : {}),
        input: request.input,
        requestedBy: request.requestedBy,
        ...(request.requestedGroups ? { requestedGroups: [...request.requestedGroups] } : {}),
        cancelRequested: false,
      },
    };
    let created = await this.writer.create(operationTarget, object, { fieldManager: FIELD_MANAGER });
    // A fixed name already taken is the same request made again (a resumed parent): answer it.
    if (!created.ok && created.error.code === 'ALREADY_EXISTS' && request.name)
      created = await this.writer.read(operationTarget, { namespace: request.namespace, name });
    return created.ok
      ? { ok: true, value: operationRecordOf(created.value, this.managementCluster) }
      : created;
  }

  async requestCancel(operation: OperationRecord): Promise<Result<OperationRecord>> {
    const patched = await this.writer.mergePatch(
      operationTarget,
      { namespace: operation.address.namespace, name: operation.address.name },
      { spec: { cancelRequested: true } },
      { fieldManager: FIELD_MANAGER },
    );
    return patched.ok
      ? { ok: true, value: operationRecordOf(patched.value, this.managementCluster) }
      : patched;
  }

  /**
   * Writes a status based on `operation` (its resourceVersion is the precondition). A conflict
   * caused by a spec change (a cancel request) is retried once on the fresh object, as long as
   * nobody else changed the status meanwhile.
   */
  async writeStatus(operation: OperationRecord, status: OperationStatus): Promise<Result<OperationRecord>> {
    const key = { namespace: operation.address.namespace, name: operation.address.name };
    const write = (resourceVersion: string) =>
      this.writer.mergePatch(
        operationTarget,
        key,
        { status: withRemovals(operation.status, status) },
        { subresource: 'status', resourceVersion, fieldManager: FIELD_MANAGER },
      );
    let written = await write(operation.resourceVersion);
    if (!written.ok && written.error.code === 'CONFLICT') {
      const fresh = await this.writer.read(operationTarget, key);
      if (!fresh.ok) return fresh;
      const freshRecord = operationRecordOf(fresh.value, this.managementCluster);
      if (!isDeepStrictEqual(freshRecord.status, operation.status)) return written;
      written = await write(freshRecord.resourceVersion);
    }
    return written.ok
      ? { ok: true, value: operationRecordOf(written.value, this.managementCluster) }
      : written;
  }
}
