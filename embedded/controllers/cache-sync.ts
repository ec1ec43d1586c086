/**
 * Start-up cache sync (controller-runtime's WaitForCacheSync): no reconcile may run before every
 * cache it reads has listed — the core kinds, and the provider kinds the existing objects point at
 * (InfraClusters, InfraMachines, bootstrap configs, templates). After a restart a reconcile on a
 * half-listed cache sees "no MachineSet", "no machines" or "no InfraMachine yet" and recreates or
 * resets what exists.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import type { ObjectRole } from './engine-context.ts';
import type { Informer } from './informer.ts';
import { type ObjectRef, readObjectRef } from './machine-factory.ts';
import type { ObjectCache } from './object-cache.ts';
import { isRecord } from './object-fields.ts';
import { TYPES } from './resource-types.ts';

/** How long start-up waits for a provider informer before reconciling anyway. */
const PROVIDER_SYNC_TIMEOUT_MS = 30_000;

/** Every v1beta2 object reference (apiGroup + kind + name) anywhere in a spec. */
function referencesIn(value: unknown, found: ObjectRef[]): void {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, found);
    return;
  }
  if (!isRecord(value)) return;
  const { apiGroup, kind, name } = value;
  if (typeof apiGroup === 'string' && typeof kind === 'string' && typeof name === 'string')
    found.push({ apiGroup, kind, name });
  for (const child of Object.values(value)) referencesIn(child, found);
}

/** The roles the engine gives referenced kinds, as the controllers declare them when they run. */
function rolesOf(type: string, object: KubeObject): Array<{ role: ObjectRole; ref: ObjectRef }> {
  const roleOf = (role: ObjectRole, path: string) => {
    const ref = readObjectRef(object, path);
    return ref ? [{ role, ref }] : [];
  };
  if (type === TYPES.machine.kind)
    return [
      ...roleOf('infraMachine', 'spec.infrastructureRef'),
      ...roleOf('bootstrap', 'spec.bootstrap.configRef'),
    ];
  if (type === TYPES.cluster.kind) return roleOf('infraCluster', 'spec.infrastructureRef');
  return [];
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/**
 * Waits for `core` to list, then starts the informers of every kind their objects reference,
 * declares the roles (so events of those kinds are routed before the first reconcile) and waits
 * for those informers too. Resolves with the kinds that did not list in time (reconciles then
 * see them as pending and wait).
 */
export async function waitForCacheSync(
  cache: ObjectCache,
  core: Informer[],
  declareRole: (role: ObjectRole, apiGroup: string, kind: string) => void,
): Promise<string[]> {
  await Promise.all(core.map((informer) => informer.whenSynced()));
  const providers = new Map<string, Informer>();
  for (const informer of core) {
    if (informer === cache.crds) continue;
    for (const object of informer.all()) {
      for (const { role, ref } of rolesOf(informer.type.kind, object))
        declareRole(role, ref.apiGroup, ref.kind);
      const refs: ObjectRef[] = [];
      referencesIn(object.spec, refs);
      for (const ref of refs) {
        const provider = cache.informerForKind(ref.apiGroup, ref.kind);
        if (provider && !core.includes(provider)) providers.set(`${ref.apiGroup}/${ref.kind}`, provider);
      }
    }
  }
  const pending = [...providers].filter(([, informer]) => !informer.synced);
  const listed = Promise.all(pending.map(([, informer]) => informer.whenSynced()));
  await Promise.race([listed, timeout(PROVIDER_SYNC_TIMEOUT_MS)]);
  return pending.filter(([, informer]) => !informer.synced).map(([key]) => key);
}
