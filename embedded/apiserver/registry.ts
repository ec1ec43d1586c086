/**
 * The resource registry: built-in kinds plus one entry per served version of every stored
 * CRD. Registering a CRD makes its kind reachable (discovery, OpenAPI, REST) at once.
 */
import type { AdmissionCause, KubeObject } from './admission.ts';
import { builtinKinds } from './builtin-kinds.ts';
import { noConverters, type ConverterRegistry, type VersionConversion } from './conversion.ts';
import { StatusError } from './errors.ts';
import { apiVersionOf, type ResourceType, type ScaleSubresource } from './resource-type.ts';
import { compileCrd } from './schema-adapter.ts';

interface CrdVersionSpec {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: object; scale?: ScaleSubresource };
  selectableFields?: Array<{ jsonPath: string }>;
}

export interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: {
    kind: string;
    plural: string;
    singular?: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersionSpec[];
  conversion?: { strategy?: string };
}

export function crdSpec(crd: KubeObject): CrdSpec {
  return crd['spec'] as CrdSpec;
}

/** `conversion: None`: only `apiVersion` changes between versions (kube-apiserver's nopConverter). */
function noneConversion(group: string, storageVersion: string, version: string): VersionConversion {
  const withVersion = (object: KubeObject, apiVersion: string): KubeObject =>
    object.apiVersion === apiVersion ? object : { ...object, apiVersion };
  return {
    storageVersion,
    none: true,
    toStorage: (object) => withVersion(object, `${group}/${storageVersion}`),
    fromStorage: (object) => withVersion(object, `${group}/${version}`),
  };
}

export class ResourceRegistry {
  /** apiVersion → plural → type */
  private readonly byGroupVersion = new Map<string, Map<string, ResourceType>>();
  /** CRD name → the types it registered */
  private readonly byCrd = new Map<string, ResourceType[]>();

  constructor(private readonly converters: ConverterRegistry = noConverters) {
    for (const rt of builtinKinds) this.add(rt);
  }

  /** The storage apiVersion of the CRD that defines (group, kind), for converters writing references. */
  apiVersionFor(group: string, kind: string): string | undefined {
    for (const types of this.byCrd.values()) {
      const crd = types[0]?.crd;
      if (!crd || types[0]?.group !== group || types[0]?.kind !== kind) continue;
      const storage = crdSpec(crd).versions.find((v) => v.storage)?.name;
      return storage ? `${group}/${storage}` : undefined;
    }
    return undefined;
  }

  /**
   * How `version` of a CRD reaches its storage version. `Webhook` CRDs use the registered
   * converter; a CAPI CRD applied with `None` (the real files ship so: clusterctl patches the
   * webhook in on install) keeps using the registered converter when it serves both versions.
   * No converter: the `None` strategy, as kube-apiserver's nopConverter — objects are stored at
   * the storage version and served at every version with only `apiVersion` rewritten.
   */
  private conversionFor(spec: CrdSpec, version: string): VersionConversion | undefined {
    const storage = spec.versions.find((v) => v.storage);
    if (!storage || storage.name === version || storage.served === false) return undefined;
    const converter = this.converters.lookup(spec.group, spec.names.kind);
    if (!converter?.versions.includes(version) || !converter.versions.includes(storage.name))
      return noneConversion(spec.group, storage.name, version);
    const context = { apiVersionFor: (group: string, kind: string) => this.apiVersionFor(group, kind) };
    const convert = (object: KubeObject, desired: string): KubeObject => {
      try {
        return converter.convert(object, desired, context);
      } catch (error) {
        throw new StatusError(
          500,
          'InternalError',
          `conversion webhook for ${object.apiVersion}, Kind=${spec.names.kind} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    return {
      storageVersion: storage.name,
      toStorage: (object) => convert(object, `${spec.group}/${storage.name}`),
      fromStorage: (object) => convert(object, `${spec.group}/${version}`),
    };
  }

  private add(rt: ResourceType): void {
    const gv = apiVersionOf(rt);
    let plurals = this.byGroupVersion.get(gv);
    if (!plurals) {
      plurals = new Map();
      this.byGroupVersion.set(gv, plurals);
    }
    plurals.set(rt.plural, rt);
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byGroupVersion.get(group ? `${group}/${version}` : version)?.get(plural);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.byGroupVersion.has(group ? `${group}/${version}` : version);
  }

  resourcesOf(apiVersion: string): ResourceType[] {
    return [...(this.byGroupVersion.get(apiVersion)?.values() ?? [])];
  }

  all(): ResourceType[] {
    return [...this.byGroupVersion.values()].flatMap((m) => [...m.values()]);
  }

  /** Served versions of `storageKey`, for finding every type that shares one bucket. */
  byStorageKey(storageKey: string): ResourceType[] {
    // The storage version first: callers that take one type get the unconverted one.
    return this.all()
      .filter((rt) => rt.storageKey === storageKey)
      .sort((a, b) => Number(a.conversion !== undefined) - Number(b.conversion !== undefined));
  }

  /** apiVersion list grouped by group, in registration order (core group first). */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const gv of this.byGroupVersion.keys()) {
      const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
      const versions = groups.get(group) ?? [];
      versions.push(version);
      groups.set(group, versions);
    }
    return groups;
  }

  /** Compiles a CRD; `errors` non-empty means it must not be stored. */
  static validateCrd(crd: KubeObject): AdmissionCause[] {
    return compileCrd(crd).errors;
  }

  /** (Re)registers the kind a stored CRD defines. */
  registerCrd(crd: KubeObject): AdmissionCause[] {
    const name = crd.metadata.name ?? '';
    const compiled = compileCrd(crd);
    if (compiled.errors.length) return compiled.errors;
    this.unregisterCrd(name);
    const spec = crdSpec(crd);
    const types: ResourceType[] = [];
    for (const version of spec.versions) {
      if (version.served === false) continue;
      const check = compiled.versions.find((v) => v.version === version.name)?.check;
      const conversion = this.conversionFor(spec, version.name);
      const rt: ResourceType = {
        group: spec.group,
        version: version.name,
        kind: spec.names.kind,
        listKind: spec.names.listKind ?? `${spec.names.kind}List`,
        plural: spec.names.plural,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: spec.names.shortNames ?? [],
        categories: spec.names.categories ?? [],
        status: version.subresources?.status !== undefined,
        ...(version.subresources?.scale ? { scale: version.subresources.scale } : {}),
        builtin: false,
        storageKey: `${spec.names.plural}.${spec.group}`,
        selectableFields: (version.selectableFields ?? []).map((f) => f.jsonPath.replace(/^\./, '')),
        crd,
        ...(check ? { check } : {}),
        ...(conversion ? { conversion } : {}),
      };
      this.add(rt);
      types.push(rt);
    }
    this.byCrd.set(name, types);
    return [];
  }

  /** Removes a CRD's kind; returns its storage key (its objects go too). */
  unregisterCrd(name: string): string | undefined {
    const types = this.byCrd.get(name);
    if (!types) return undefined;
    for (const rt of types) {
      const gv = apiVersionOf(rt);
      const plurals = this.byGroupVersion.get(gv);
      plurals?.delete(rt.plural);
      if (plurals?.size === 0) this.byGroupVersion.delete(gv);
    }
    this.byCrd.delete(name);
    return types[0]?.storageKey;
  }

  crds(): KubeObject[] {
    return [...this.byCrd.values()].flatMap((types) => (types[0]?.crd ? [types[0].crd] : []));
  }
}
