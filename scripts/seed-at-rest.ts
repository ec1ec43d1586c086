/**
 * Marks a generated fleet's MachineSets (and their machines) as made from their
 * MachineDeployment's current template — the `machine-template-hash` label the MachineDeployment
 * controller puts on a MachineSet it creates — so an engine serving the seeded fleet finds every
 * MachineDeployment rolled out and has nothing to do, instead of rolling every worker once.
 * The hash is the embedded engine's (CAPI's own is computed the same way, from the template).
 */
import type { KubeObject } from '../src/k8s/kube-object.ts';
import { desiredTemplateHash } from '../embedded/controllers/machine-up-to-date.ts';

const HASH = 'machine-template-hash';

type Labels = Record<string, string>;
interface SetSpec {
  selector?: { matchLabels?: Labels };
  template?: { metadata?: { labels?: Labels } };
}

function withHash<T extends Record<string, unknown> | undefined>(
  labels: T,
  hash: string,
): Record<string, string> {
  return { ...(labels as Record<string, string> | undefined), [HASH]: hash };
}

function ownerUid(o: KubeObject, kind: string): string | undefined {
  return o.metadata.ownerReferences?.find((r) => r.kind === kind && r.controller)?.uid;
}

export function seedAtRest(objects: readonly KubeObject[]): KubeObject[] {
  const hashOfDeployment = new Map<string, string>();
  for (const o of objects)
    if (o.kind === 'MachineDeployment' && o.metadata.uid)
      hashOfDeployment.set(o.metadata.uid, `${desiredTemplateHash(o as never)}-seed`);
  const hashOfSet = new Map<string, string>();
  const stamped = objects.map((o) => {
    if (o.kind !== 'MachineSet') return o;
    const hash = hashOfDeployment.get(ownerUid(o, 'MachineDeployment') ?? '');
    if (!hash) return o;
    if (o.metadata.uid) hashOfSet.set(o.metadata.uid, hash);
    const spec = structuredClone(o['spec'] as SetSpec);
    spec.selector = { ...spec.selector, matchLabels: withHash(spec.selector?.matchLabels, hash) };
    spec.template = {
      ...spec.template,
      metadata: { ...spec.template?.metadata, labels: withHash(spec.template?.metadata?.labels, hash) },
    };
    return { ...o, metadata: { ...o.metadata, labels: withHash(o.metadata.labels, hash) }, spec };
  });
  return stamped.map((o) => {
    const hash = o.kind === 'Machine' ? hashOfSet.get(ownerUid(o, 'MachineSet') ?? '') : undefined;
    return hash ? { ...o, metadata: { ...o.metadata, labels: withHash(o.metadata.labels, hash) } } : o;
  });
}
