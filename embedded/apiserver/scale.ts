/** The scale subresource: an autoscaling/v1 Scale view over the CRD's replica paths. */
import type { KubeObject } from './admission.ts';
import { badRequest, invalid } from './errors.ts';
import type { ScaleSubresource } from './resource-type.ts';

function pathOf(jsonPath: string): string[] {
  return jsonPath.replace(/^\./, '').split('.');
}

function read(obj: unknown, jsonPath: string): unknown {
  let current = obj;
  for (const part of pathOf(jsonPath)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function write(obj: Record<string, unknown>, jsonPath: string, value: unknown): void {
  const parts = pathOf(jsonPath);
  let current = obj;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1]!] = value;
}

export function toScale(scale: ScaleSubresource, obj: KubeObject): KubeObject {
  const selector = scale.labelSelectorPath ? read(obj, scale.labelSelectorPath) : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: Number(read(obj, scale.specReplicasPath) ?? 0) },
    status: {
      replicas: Number(read(obj, scale.statusReplicasPath) ?? 0),
      ...(typeof selector === 'string' ? { selector } : {}),
    },
  };
}

/** Applies a Scale's spec.replicas to a copy of the object. */
export function fromScale(scale: ScaleSubresource, obj: KubeObject, body: KubeObject): KubeObject {
  const replicas = (body['spec'] as { replicas?: unknown } | undefined)?.replicas;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) {
    throw badRequest('spec.replicas must be an integer');
  }
  if (typeof replicas === 'number' && replicas < 0) {
    // kube-apiserver validates the Scale itself before admission: `Scale.autoscaling "x" is invalid`.
    throw invalid({ group: 'autoscaling', resource: 'scale' }, 'Scale', obj.metadata.name ?? '', [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
      },
    ]);
  }
  const next = structuredClone(obj);
  write(next as Record<string, unknown>, scale.specReplicasPath, replicas ?? 0);
  if (body.metadata.resourceVersion) next.metadata.resourceVersion = body.metadata.resourceVersion;
  return next;
}
