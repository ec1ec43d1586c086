import { groupKindKey, type GroupKind, type KubeObject } from './kube-object.ts';
import type { ResourceTarget } from './kube-transport.ts';

/** What the gateway needs from a CustomResourceDefinition (the rest is dropped to save memory). */
export interface CrdInfo {
  group: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  servedVersions: string[];
  /** The CAPI contract the provider declares through its CRD labels, if any. */
  contract: 'v1beta2' | 'v1beta1' | null;
  /** The version to read: the newest contract version served, else the newest served version. */
  version: string;
}

const versionPattern = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes version priority: GA > beta > alpha, then by number (v1 > v1beta2 > v1beta1 > v1alpha1). */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = versionPattern.exec(v);
    if (!m) return [-1, 0, 0];
    const stability = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return a.localeCompare(b);
}

function newest(versions: string[]): string | undefined {
  return [...versions].sort(compareKubeVersions).at(-1);
}

interface CrdObject extends KubeObject {
  spec?: {
    group?: string;
    names?: { kind?: string; plural?: string };
    scope?: string;
    versions?: Array<{ name?: string; served?: boolean }>;
  };
}

export function crdInfoOf(object: KubeObject): CrdInfo | undefined {
  const spec = (object as CrdObject).spec;
  const group = spec?.group;
  const kind = spec?.names?.kind;
  const plural = spec?.names?.plural;
  if (!group || !kind || !plural) return undefined;
  const servedVersions = (spec.versions ?? [])
    .filter((v) => v.served !== false && v.name)
    .map((v) => v.name!);
  const labels = object.metadata.labels ?? {};
  const fromLabel = (label: string): string | undefined =>
    newest((labels[label] ?? '').split('_').filter((v) => servedVersions.includes(v)));
  const v2 = fromLabel('cluster.x-k8s.io/v1beta2');
  const v1 = fromLabel('cluster.x-k8s.io/v1beta1');
  const version = v2 ?? v1 ?? newest(servedVersions);
  if (!version) return undefined;
  return {
    group,
    kind,
    plural,
    namespaced: spec.scope !== 'Cluster',
    servedVersions,
    contract: v2 ? 'v1beta2' : v1 ? 'v1beta1' : null,
    version,
  };
}

export function targetOf(info: CrdInfo): ResourceTarget {
  return { group: info.group, version: info.version, plural: info.plural, namespaced: info.namespaced };
}

/** CRDs by GroupKind, kept current by the connection's CRD watch. */
export class CrdRegistry {
  private readonly byGroupKind = new Map<string, CrdInfo>();
  private readonly byName = new Map<string, string>();

  get(gk: GroupKind): CrdInfo | undefined {
    return this.byGroupKind.get(groupKindKey(gk));
  }

  /** Returns the info when it is new or changed. */
  upsert(object: KubeObject): CrdInfo | undefined {
    const info = crdInfoOf(object);
    if (!info) return undefined;
    const key = groupKindKey(info);
    const old = this.byGroupKind.get(key);
    this.byGroupKind.set(key, info);
    this.byName.set(object.metadata.name, key);
    return old && old.version === info.version && old.contract === info.contract ? undefined : info;
  }

  remove(object: KubeObject): void {
    const key = this.byName.get(object.metadata.name);
    if (key) this.byGroupKind.delete(key);
    this.byName.delete(object.metadata.name);
  }

  clear(): void {
    this.byGroupKind.clear();
    this.byName.clear();
  }

  all(): IterableIterator<CrdInfo> {
    return this.byGroupKind.values();
  }
}
