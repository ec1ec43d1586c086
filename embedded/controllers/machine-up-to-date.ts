/**
 * Whether a machine matches what its owner wants now: the MachineDeployment's current template
 * (through the `machine-template-hash` its MachineSet carries) or the KubeadmControlPlane's
 * version and machine template; `spec.rollout.after` makes older machines out of date.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { type EngineContext, controllerOwner } from './engine-context.ts';
import { LABELS } from './labels.ts';
import { hashOf } from './naming.ts';
import { recordField, stringField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';

export const CLONED_FROM_NAME = 'cluster.x-k8s.io/cloned-from-name';
export const CLONED_FROM_GROUPKIND = 'cluster.x-k8s.io/cloned-from-groupkind';

/** The hash of a MachineDeployment's machine template (labels CAPI adds itself left out). */
const hashes = new WeakMap<KubeObject, string>();

export function desiredTemplateHash(md: KubeObject): string {
  // Informer objects are replaced, never mutated, on change: memoise per object.
  const known = hashes.get(md);
  if (known) return known;
  const hash = computeTemplateHash(md);
  hashes.set(md, hash);
  return hash;
}

function computeTemplateHash(md: KubeObject): string {
  const template = structuredClone(recordField(md, 'spec.template') ?? {});
  const labels = recordField(template, 'metadata.labels');
  if (labels) delete labels[LABELS.templateHash];
  // CAPI's hash is a decimal 32-bit number (e.g. `2191063572`).
  return String(Number.parseInt(hashOf(template).slice(0, 8), 16));
}

export function rolloutAfterPassed(owner: KubeObject, created: string | undefined, nowMs: number): boolean {
  const after = Date.parse(stringField(owner, 'spec.rollout.after') ?? '');
  if (Number.isNaN(after) || after > nowMs) return false;
  const createdMs = Date.parse(created ?? '');
  return Number.isNaN(createdMs) || createdMs < after;
}

const MAX_ROLLOUT_WAIT_MS = 3_600_000;

/**
 * How long until a future `spec.rollout.after` comes, or undefined when there is none: CAPI
 * requeues the owner for that moment (nothing else changes then), so the rollout starts when it
 * comes. A few milliseconds past it, so the moment has passed when the reconcile runs.
 */
export function untilRolloutAfter(owner: KubeObject, nowMs: number): number | undefined {
  const after = Date.parse(stringField(owner, 'spec.rollout.after') ?? '');
  if (Number.isNaN(after) || after <= nowMs) return undefined;
  // At most an hour: a timer longer than 2^31 ms would fire at once (and loop).
  return Math.min(after - nowMs + 10, MAX_ROLLOUT_WAIT_MS);
}

export function machineSetIsCurrent(ms: KubeObject, md: KubeObject, nowMs: number): boolean {
  const label = ms.metadata.labels?.[LABELS.templateHash] ?? '';
  if (!label.startsWith(`${desiredTemplateHash(md)}-`)) return false;
  return !rolloutAfterPassed(md, ms.metadata.creationTimestamp, nowMs);
}

export function controlPlaneMachineIsUpToDate(
  ctx: EngineContext,
  kcp: KubeObject,
  machine: KubeObject,
): boolean {
  if (stringField(machine, 'spec.version') !== stringField(kcp, 'spec.version')) return false;
  if (rolloutAfterPassed(kcp, machine.metadata.creationTimestamp, ctx.clock.now())) return false;
  const infraRef = recordField(machine, 'spec.infrastructureRef');
  const wantedTemplate = stringField(kcp, 'spec.machineTemplate.spec.infrastructureRef.name');
  const apiGroup = stringField(infraRef, 'apiGroup');
  const kind = stringField(infraRef, 'kind');
  const name = stringField(infraRef, 'name');
  if (!apiGroup || !kind || !name || !wantedTemplate) return true;
  const found = ctx.cache.getRef(apiGroup, kind, machine.metadata.namespace, name);
  if (found.state !== 'found') return true;
  const clonedFrom = found.object.metadata.annotations?.[CLONED_FROM_NAME];
  return clonedFrom === undefined || clonedFrom === wantedTemplate;
}

export function machineIsUpToDate(ctx: EngineContext, machine: KubeObject): boolean {
  const owner = controllerOwner(machine);
  const namespace = machine.metadata.namespace;
  if (owner?.kind === 'MachineSet') {
    const ms = ctx.cache.informer(TYPES.machineSet).get(namespace, owner.name);
    const mdOwner = ms ? controllerOwner(ms) : undefined;
    const md = mdOwner ? ctx.cache.informer(TYPES.machineDeployment).get(namespace, mdOwner.name) : undefined;
    return !ms || !md || machineSetIsCurrent(ms, md, ctx.clock.now());
  }
  if (owner?.kind === 'KubeadmControlPlane') {
    const kcp = ctx.cache.informer(TYPES.kubeadmControlPlane).get(namespace, owner.name);
    return !kcp || controlPlaneMachineIsUpToDate(ctx, kcp, machine);
  }
  return true;
}
