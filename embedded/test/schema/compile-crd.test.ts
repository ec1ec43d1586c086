import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { builtinCrds, builtinCrdsFor, compileCrd, skippedCelRules } from '../../apiserver/schema/index.ts';
import { haveCapiData, realCrds } from './capi-data.ts';

function crd(overrides: Record<string, unknown> = {}, version: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } },
          ...version,
        },
      ],
      ...overrides,
    },
  };
}

describe.skipIf(!haveCapiData)('compileCrd on the real CAPI CRDs', () => {
  it('compiles every real CRD without errors and serves its versions', () => {
    const crds = realCrds();
    expect(crds.length).toBeGreaterThanOrEqual(30);
    for (const c of crds) {
      const { versions, errors } = compileCrd(c);
      expect(errors, c.metadata.name).toEqual([]);
      expect(versions.length, c.metadata.name).toBeGreaterThan(0);
    }
    expect(skippedCelRules()).toEqual([]);
  });

  it('reports group, kind, plural and scope of each served version', () => {
    const cluster = realCrds().find((c) => c.metadata.name === 'clusters.cluster.x-k8s.io')!;
    const versions = compileCrd(cluster).versions.map(({ group, version, kind, plural, namespaced }) => ({
      group,
      version,
      kind,
      plural,
      namespaced,
    }));
    expect(versions).toEqual([
      {
        group: 'cluster.x-k8s.io',
        version: 'v1beta1',
        kind: 'Cluster',
        plural: 'clusters',
        namespaced: true,
      },
      {
        group: 'cluster.x-k8s.io',
        version: 'v1beta2',
        kind: 'Cluster',
        plural: 'clusters',
        namespaced: true,
      },
    ]);
  });
});

describe('compileCrd rejects invalid CRDs like kube-apiserver', () => {
  it('accepts a minimal valid CRD', () => {
    expect(compileCrd(crd()).errors).toEqual([]);
  });

  it('requires group, plural and kind', () => {
    const { errors, versions } = compileCrd(crd({ group: '', names: {} }));
    expect(versions).toEqual([]);
    expect(errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['spec.group', 'spec.names.plural', 'spec.names.kind']),
    );
    expect(errors[0]).toMatchObject({ reason: 'FieldValueRequired', message: 'Required value' });
  });

  it('requires exactly one storage version', () => {
    const { errors } = compileCrd(crd({}, { storage: false }));
    expect(errors).toContainEqual(
      expect.objectContaining({ field: 'spec.versions', reason: 'FieldValueInvalid' }),
    );
  });

  it('requires a structural schema with types, at spec.validation when all versions share it', () => {
    const { errors } = compileCrd(
      crd({}, { schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: {} } } } } }),
    );
    expect(errors).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'spec.validation.openAPIV3Schema.properties[spec].type',
        message: 'Required value: must not be empty for specified object fields',
      },
    ]);
  });

  it('forbids uniqueItems and patterns that are not RE2', () => {
    const { errors } = compileCrd(
      crd(
        {},
        {
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                list: { type: 'array', items: { type: 'string' }, uniqueItems: true },
                name: { type: 'string', pattern: '(?<=x)a' },
              },
            },
          },
        },
      ),
    );
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.validation.openAPIV3Schema.properties[list].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      'spec.validation.openAPIV3Schema.properties[name].pattern: Invalid value: "(?<=x)a": must be a valid regular expression, but isn\'t: error parsing regexp: invalid named capture: `(?<=x)a`',
    ]);
  });

  it('requires the name to be plural.group', () => {
    const bad = crd();
    bad.metadata.name = 'gadgets.example.com';
    expect(compileCrd(bad).errors.map((e) => e.field)).toEqual(['metadata.name']);
  });
});

describe('built-in CRDs', () => {
  it('compile without errors and cover the CAPI, provider and test-infrastructure kinds', () => {
    for (const c of builtinCrds) expect(compileCrd(c).errors, c.metadata.name).toEqual([]);
    const names = builtinCrds.map((c) => c.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'clusters.cluster.x-k8s.io',
        'clusterclasses.cluster.x-k8s.io',
        'machinedrainrules.cluster.x-k8s.io',
        'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
        'kubeadmconfigtemplates.bootstrap.cluster.x-k8s.io',
        'clusterresourcesetbindings.addons.cluster.x-k8s.io',
        'ipaddresses.ipam.cluster.x-k8s.io',
        'extensionconfigs.runtime.cluster.x-k8s.io',
        'providers.clusterctl.cluster.x-k8s.io',
        'devmachinepooltemplates.infrastructure.cluster.x-k8s.io',
        'dockermachinetemplates.infrastructure.cluster.x-k8s.io',
      ]),
    );
    expect(names).toHaveLength(30);
  });

  it('match the real CRDs in names, scope, short names and subresources', { skip: !haveCapiData }, () => {
    const real = new Map(realCrds().map((c) => [c.metadata.name, c]));
    for (const builtin of builtinCrds) {
      const r = real.get(builtin.metadata.name);
      if (!r) continue; // e.g. the real tree has no separate clusterctl Metadata kind in the table
      const bSpec = builtin.spec as {
        names: Record<string, unknown>;
        scope: string;
        versions: Array<Record<string, unknown>>;
      };
      const rSpec = r.spec as typeof bSpec;
      expect(bSpec.scope, builtin.metadata.name).toBe(rSpec.scope);
      expect(bSpec.names.shortNames, builtin.metadata.name).toEqual(rSpec.names.shortNames);
      expect(bSpec.names.singular, builtin.metadata.name).toBe(rSpec.names.singular);
      const storage = rSpec.versions.find((v) => v.storage === true)!;
      expect(bSpec.versions[0]!.subresources ?? {}, builtin.metadata.name).toEqual(
        storage.subresources ?? {},
      );
      expect(bSpec.versions[0]!.additionalPrinterColumns, builtin.metadata.name).toEqual(
        (storage.additionalPrinterColumns as Array<Record<string, unknown>>).map(
          ({ description: _d, ...c }) => c,
        ),
      );
      expect(builtin.metadata.labels?.['cluster.x-k8s.io/v1beta2'], builtin.metadata.name).toBe(
        r.metadata.labels?.['cluster.x-k8s.io/v1beta2'],
      );
    }
  });

  it(
    'print the v1beta1 columns of the real CRDs on a legacy management cluster',
    { skip: !haveCapiData },
    () => {
      const real = new Map(realCrds().map((c) => [c.metadata.name, c]));
      for (const builtin of builtinCrdsFor('v1beta1')) {
        const bVersion = (builtin.spec as { versions: Array<Record<string, unknown>> }).versions[0]!;
        const rVersion = (
          real.get(builtin.metadata.name)?.spec as { versions: Array<Record<string, unknown>> } | undefined
        )?.versions.find((v) => v.name === bVersion.name);
        if (!rVersion) continue; // e.g. DevMachinePool has no v1beta1
        expect(bVersion.additionalPrinterColumns, builtin.metadata.name).toEqual(
          ((rVersion.additionalPrinterColumns ?? []) as Array<Record<string, unknown>>).map(
            ({ description: _d, ...c }) => c,
          ),
        );
      }
    },
  );

  it('serve CAPI groups only at v1beta1 for a legacy management cluster', () => {
    const legacy = builtinCrdsFor('v1beta1');
    const versionsOf = (name: string) =>
      (
        legacy.find((c) => c.metadata.name === name)!.spec as { versions: Array<{ name: string }> }
      ).versions.map((v) => v.name);
    expect(versionsOf('clusters.cluster.x-k8s.io')).toEqual(['v1beta1']);
    expect(versionsOf('dockermachines.infrastructure.cluster.x-k8s.io')).toEqual(['v1beta1']);
    expect(versionsOf('providers.clusterctl.cluster.x-k8s.io')).toEqual(['v1alpha3']);
    const kcp = legacy.find((c) => c.metadata.name === 'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io')!;
    expect(kcp.metadata.labels).toMatchObject({
      'cluster.x-k8s.io/v1beta1': 'v1beta1',
      'cluster.x-k8s.io/v1beta2': 'v1beta2',
    });
  });
});
