/**
 * What the topology controller and its MachinePool part both read: ClusterClass template refs,
 * the template objects they name (or why the reconcile must wait), and the labels of objects
 * the topology owns. Its own module so the two import it, not each other.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { type EngineContext, apiGroupOf } from './engine-context.ts';
import type { ResourceType } from './kube-client.ts';
import { LABELS } from './labels.ts';
import { recordField, stringField } from './object-fields.ts';

export interface TemplateRef {
  apiVersion: string;
  kind: string;
  name: string;
}

export class Waiting extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly retryMs: number,
  ) {
    super(message);
  }
}

export function templateRef(value: unknown, path: string): TemplateRef | undefined {
  const ref = recordField(value, path);
  const apiVersion = stringField(ref, 'apiVersion');
  const kind = stringField(ref, 'kind');
  const name = stringField(ref, 'name');
  return apiVersion && kind && name ? { apiVersion, kind, name } : undefined;
}

export function readTemplate(
  ctx: EngineContext,
  namespace: string,
  ref: TemplateRef,
): { object: KubeObject; type: ResourceType } {
  const group = apiGroupOf(ref.apiVersion);
  const kind = ctx.cache.resolve(group, ref.kind);
  if (!kind)
    throw new Waiting(
      ctx.cache.crds.synced ? 'TemplateKindNotFound' : 'Waiting',
      `No CRD serves ${ref.kind}.${group}`,
      2_000,
    );
  const found = ctx.cache.getRef(group, ref.kind, namespace, ref.name);
  const key = `${group}/${ref.kind}/${namespace}/${ref.name}`;
  if (found.state === 'pending') throw new Waiting('Waiting', `Reading ${ref.kind} ${ref.name}`, 200);
  if (found.state === 'missing')
    throw new Waiting(
      'TemplateNotFound',
      `${ref.kind} ${namespace}/${ref.name} referenced by the ClusterClass does not exist`,
      ctx.missing.retryMs(key),
    );
  ctx.missing.found(key);
  return { object: found.object, type: kind.type };
}

export function clonedFrom(ref: TemplateRef): Record<string, string> {
  return {
    'cluster.x-k8s.io/cloned-from-name': ref.name,
    'cluster.x-k8s.io/cloned-from-groupkind': `${ref.kind}.${apiGroupOf(ref.apiVersion)}`,
  };
}

export function topologyLabels(
  cluster: KubeObject,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { [LABELS.clusterName]: cluster.metadata.name ?? '', [LABELS.topologyOwned]: '', ...extra };
}
