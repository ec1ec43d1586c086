import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { compileCrd, skippedCelRules } from '../../apiserver/schema/index.ts';
import type { SchemaCheckResult } from '../../apiserver/schema/index.ts';
import { compiled, haveCapiData } from './capi-data.ts';

const strict = { fieldValidation: 'Strict' as const };
const causes = (result: SchemaCheckResult) => (result.ok ? [] : result.causes);

describe.skipIf(!haveCapiData)('x-kubernetes-validations of the real CAPI CRDs', () => {
  const drainRule = (machines: unknown[]): KubeObject => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineDrainRule',
    metadata: { name: 'r', namespace: 'default' },
    spec: { drain: { behavior: 'Skip' }, machines },
  });

  it('MachineDrainRule: entries in machines must be unique', () => {
    const unique = drainRule([
      { selector: { matchLabels: { a: 'b' } } },
      { selector: { matchLabels: { a: 'c' } } },
    ]);
    expect(compiled('MachineDrainRule').check(unique, strict).ok).toBe(true);
    const duplicated = drainRule([
      { selector: { matchLabels: { a: 'b' } } },
      { selector: { matchLabels: { a: 'b' } } },
    ]);
    expect(causes(compiled('MachineDrainRule').check(duplicated, strict))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.machines',
        message: 'Invalid value: entries in machines must be unique',
      },
    ]);
  });

  const kubeadmConfig = (partitions: unknown[]): KubeObject => ({
    apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
    kind: 'KubeadmConfig',
    metadata: { name: 'k', namespace: 'default' },
    spec: { diskSetup: { partitions } },
  });

  it('KubeadmConfig: exactly one of layout and diskLayout, with matches() on partitionType', () => {
    const config = compiled('KubeadmConfig');
    const good = kubeadmConfig([
      { device: '/dev/sda', diskLayout: [{ percentage: 50, partitionType: 'LVM' }] },
      { device: '/dev/sdb', layout: true },
    ]);
    expect(config.check(good, strict).ok).toBe(true);
    const bad = kubeadmConfig([
      { device: '/dev/sda', layout: true, diskLayout: [{ percentage: 50, partitionType: 'Swap' }] },
    ]);
    // As kube-apiserver: rules run top-down, objects and lists are not quoted, scalars are.
    expect(causes(config.check(bad, strict))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.diskSetup.partitions[0]',
        message: 'Invalid value: exactly one of the fields in [layout diskLayout] must be set',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.diskSetup.partitions[0].diskLayout[0].partitionType',
        message:
          'Invalid value: "Swap": partitionType must be one of Linux, LinuxSwap, LinuxRAID, LVM, Fat32, NTFS, LinuxExtended or a full GPT partition GUID',
      },
    ]);
  });

  it('KubeadmConfig v1beta2: extraArgs names must be unique (a list-map keyed by name and value)', () => {
    const config: KubeObject = {
      ...kubeadmConfig([]),
      spec: {
        clusterConfiguration: {
          apiServer: {
            extraArgs: [
              { name: 'v', value: '2' },
              { name: 'v', value: '4' },
            ],
          },
        },
      },
    };
    expect(causes(compiled('KubeadmConfig').check(config, strict))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.clusterConfiguration.apiServer.extraArgs',
        message: 'Invalid value: extraArgs name must be unique',
      },
    ]);
  });

  it('ClusterClass v1beta1: reserved condition types are refused', () => {
    const cc: KubeObject = {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'ClusterClass',
      metadata: { name: 'cc', namespace: 'default' },
      spec: {
        controlPlane: {
          ref: {
            apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
            kind: 'KubeadmControlPlaneTemplate',
            name: 't',
          },
          machineHealthCheck: {
            unhealthyMachineConditions: [{ type: 'Ready', status: 'False', timeout: '5m' }],
          },
        },
        infrastructure: {
          ref: {
            apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
            kind: 'DockerClusterTemplate',
            name: 'd',
          },
        },
      },
    };
    const result = compiled('ClusterClass', 'v1beta1').check(cc, strict);
    expect(causes(result)).toContainEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.controlPlane.machineHealthCheck.unhealthyMachineConditions[0].type',
      message:
        'Invalid value: "Ready": type must not be one of: Ready, Available, HealthCheckSucceeded, OwnerRemediated, ExternallyRemediated',
    });
  });
});

describe('CEL rule semantics', () => {
  const widgetCrd = (spec: Record<string, unknown>): KubeObject => ({
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
          schema: { openAPIV3Schema: { type: 'object', properties: { spec } } },
        },
      ],
    },
  });
  const widget = (spec: unknown): KubeObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec,
  });
  const version = (spec: Record<string, unknown>) => {
    const { versions, errors } = compileCrd(widgetCrd(spec));
    expect(errors).toEqual([]);
    return versions[0]!;
  };

  it('evaluates integers as CEL ints and reports fieldPath, reason and messageExpression', () => {
    const v = version({
      type: 'object',
      properties: { replicas: { type: 'integer' }, max: { type: 'integer' } },
      'x-kubernetes-validations': [
        {
          rule: 'self.replicas <= self.max',
          messageExpression: "'replicas ' + string(self.replicas) + ' exceeds ' + string(self.max)",
          fieldPath: '.replicas',
          reason: 'FieldValueForbidden',
        },
      ],
    });
    expect(v.check(widget({ replicas: 3, max: 5 }), strict).ok).toBe(true);
    expect(causes(v.check(widget({ replicas: 7, max: 5 }), strict))).toEqual([
      { reason: 'FieldValueForbidden', field: 'spec.replicas', message: 'Forbidden: replicas 7 exceeds 5' },
    ]);
  });

  it('runs transition rules only on update, against the correlated old value', () => {
    const v = version({
      type: 'object',
      properties: {
        size: {
          type: 'integer',
          'x-kubernetes-validations': [{ rule: 'self >= oldSelf', message: 'size may only grow' }],
        },
      },
    });
    expect(v.check(widget({ size: 1 }), strict).ok).toBe(true);
    const old = widget({ size: 5 });
    expect(v.check(widget({ size: 6 }), { ...strict, oldObject: old }).ok).toBe(true);
    expect(causes(v.check(widget({ size: 4 }), { ...strict, oldObject: old }))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.size',
        message: 'Invalid value: 4: size may only grow',
      },
    ]);
  });

  it('uses "failed rule" when a rule has no message, and evaluates over maps', () => {
    const v = version({
      type: 'object',
      properties: {
        labels: {
          type: 'object',
          additionalProperties: { type: 'string' },
          'x-kubernetes-validations': [{ rule: "self.all(k, k.startsWith('x-'))" }],
        },
      },
    });
    expect(v.check(widget({ labels: { 'x-a': '1' } }), strict).ok).toBe(true);
    expect(causes(v.check(widget({ labels: { b: '1' } }), strict))).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.labels',
        message: `Invalid value: failed rule: self.all(k, k.startsWith('x-'))`,
      },
    ]);
  });

  it('shows rules at the root only the name and generateName of metadata', () => {
    const crd = widgetCrd({ type: 'object' });
    const schema = (crd.spec as { versions: Array<{ schema: { openAPIV3Schema: Record<string, unknown> } }> })
      .versions[0]!.schema.openAPIV3Schema;
    schema['x-kubernetes-validations'] = [
      { rule: "self.metadata.name.startsWith('w')", message: 'name must start with w' },
      { rule: '!has(self.metadata.labels)', message: 'labels are not visible' },
    ];
    const v = compileCrd(crd).versions[0]!;
    const object = widget({});
    object.metadata.labels = { a: 'b' };
    expect(v.check(object, strict).ok).toBe(true);
    object.metadata.name = 'x';
    expect(causes(v.check(object, strict))).toEqual([
      { reason: 'FieldValueInvalid', field: '<nil>', message: 'Invalid value: name must start with w' },
    ]);
  });

  it('skips a rule the library cannot compile, and records it once', () => {
    const rule = "quantity(self).isGreaterThan(quantity('1Gi'))";
    const spec = {
      type: 'object',
      properties: { size: { type: 'string', 'x-kubernetes-validations': [{ rule }] } },
    };
    const v = version(spec);
    compileCrd(widgetCrd(spec));
    expect(v.check(widget({ size: '1Mi' }), strict).ok).toBe(true);
    const skipped = skippedCelRules().filter((r) => r.crd === 'widgets.example.com');
    expect(skipped).toEqual([
      {
        crd: 'widgets.example.com',
        version: 'v1',
        path: '.spec.size',
        rule,
        reason: 'unsupported functions isGreaterThan(), quantity()',
      },
    ]);
  });

  it('has the Kubernetes list, set and URL helpers', () => {
    const v = version({
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          items: { type: 'integer' },
          'x-kubernetes-validations': [{ rule: 'self.isSorted() && self.sum() < 100' }],
        },
        endpoint: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'isURL(self)', message: 'must be a URL' }],
        },
      },
    });
    expect(v.check(widget({ ports: [1, 2, 3], endpoint: 'https://example.com' }), strict).ok).toBe(true);
    expect(
      causes(v.check(widget({ ports: [3, 1], endpoint: 'not a url' }), strict)).map((c) => c.field),
    ).toEqual(['spec.endpoint', 'spec.ports']);
  });
});
