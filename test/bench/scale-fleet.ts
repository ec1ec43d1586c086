/**
 * The fleet-scale benchmark's fleet of one management cluster: the bench fleet (44 objects per
 * cluster) spread over several namespaces (one per group of sites), with per-cluster labels
 * (`region`, `site`) and control-plane versions varied so filters select a fraction of it.
 * UIDs are unique within the management cluster; Namespace objects come first (for seeding).
 */
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { benchFleet } from './bench-fleet.ts';

export interface ScaleFleetOptions {
  clusters: number;
  /** Clusters per namespace. */
  clustersPerNamespace: number;
  /** Prefix of site labels (the management cluster's name). */
  site: string;
}

export const scaleVersions = ['v1.32.4', 'v1.33.1', 'v1.34.0'];
export const scaleRegions = ['eu', 'us', 'ap'];

function numberOf(o: KubeObject): number {
  const name = o.metadata.labels?.['cluster.x-k8s.io/cluster-name'] ?? o.metadata.name;
  return Number(/(\d+)$/.exec(name)?.[1] ?? 0);
}

export function scaleFleet(options: ScaleFleetOptions): KubeObject[] {
  const out: KubeObject[] = [];
  const groups = Math.ceil(options.clusters / options.clustersPerNamespace);
  for (let n = 0; n < groups; n++) {
    const ns = `sites-${String(n).padStart(3, '0')}`;
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, uid: '' } });
    const count = Math.min(options.clustersPerNamespace, options.clusters - n * options.clustersPerNamespace);
    for (const o of benchFleet({ clusters: count, namespace: ns })) {
      const uid = (u: string) => `${ns}-${u}`;
      const metadata = {
        ...o.metadata,
        uid: uid(o.metadata.uid),
        ...(o.metadata.ownerReferences
          ? { ownerReferences: o.metadata.ownerReferences.map((r) => ({ ...r, uid: uid(r.uid) })) }
          : {}),
      };
      const i = n * options.clustersPerNamespace + numberOf(o);
      if (o.kind === 'Cluster')
        metadata.labels = {
          ...metadata.labels,
          region: scaleRegions[Math.floor(i / 3) % 3]!,
          site: `${options.site}-${i}`,
        };
      // Control-plane machines run their control plane's version: the fleet is at rest, not
      // mid-rollout (an engine serving it has nothing to do).
      const controlPlaneMachine =
        o.kind === 'Machine' && o.metadata.ownerReferences?.some((r) => r.kind === 'KubeadmControlPlane');
      if (o.kind === 'KubeadmControlPlane' || controlPlaneMachine) {
        const spec = { ...(o['spec'] as object), version: scaleVersions[i % 3] };
        out.push({ ...o, metadata, spec });
      } else out.push({ ...o, metadata });
    }
  }
  return out;
}
