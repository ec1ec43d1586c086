/**
 * Run by view-shapes.test.ts in a child `node --allow-natives-syntax`: normalises a synthetic
 * fleet the way the caches and the API-backed readers do, and prints, per kind, how many views
 * there are and how many share the hidden class (V8 map) of the first one.
 */
import type { KindRole } from '../../../src/capi/management-cluster-cache.ts';
import { cachedNormaliserFor, normaliserFor } from '../../../src/capi/management-cluster-cache.ts';
import type { CrdInfo } from '../../../src/k8s/crd-registry.ts';
import { groupOfApiVersion, type KubeObject } from '../../../src/k8s/kube-object.ts';
import { syntheticFleet } from '../../gateway/support/synthetic-fleet.ts';

const roles: Record<string, KindRole> = {
  KubeadmControlPlane: 'ControlPlane',
  DockerCluster: 'InfrastructureCluster',
  DockerMachine: 'InfrastructureMachine',
};

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const objects: KubeObject[] = syntheticFleet({ clusters: 4 });
const report: Record<string, { views: number; sharing: number }> = {};
for (const [reader, normaliserOf] of [
  ['cache', cachedNormaliserFor],
  ['api', normaliserFor],
] as const) {
  const byKind = new Map<string, object[]>();
  for (const o of objects) {
    const normalise = normaliserOf(
      { group: groupOfApiVersion(o.apiVersion), kind: o.kind },
      roles[o.kind] ?? 'Core',
    );
    const [group, version] = o.apiVersion.split('/') as [string, string];
    const crd: CrdInfo = {
      group,
      kind: o.kind,
      plural: `${o.kind.toLowerCase()}s`,
      namespaced: true,
      servedVersions: [version],
      contract: 'v1beta2',
      version,
    };
    const view = normalise(o, 'mc', crd);
    byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), view]);
  }
  for (const [kind, views] of byKind)
    report[`${reader} ${kind}`] = {
      views: views.length,
      sharing: views.filter((v) => sameMap(v, views[0]!)).length,
    };
}
console.log(JSON.stringify(report));
