import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { builtinCrds, compileCrd } from '../../apiserver/schema/index.ts';
import type { SchemaCheckResult } from '../../apiserver/schema/index.ts';
import { capiDir, compiled, haveCapiData, template } from './capi-data.ts';

/** clusterctl-style variables: `${X:=default}` takes the default, the rest get plausible values. */
const variables: Record<string, string> = {
  CLUSTER_NAME: 'c1',
  NAMESPACE: 'default',
  KUBERNETES_VERSION: 'v1.31.0',
  CONTROL_PLANE_MACHINE_COUNT: '3',
  WORKER_MACHINE_COUNT: '2',
};
function renderTemplate(file: string): KubeObject[] {
  const text = fs
    .readFileSync(path.join(capiDir, 'templates', file), 'utf8')
    .replace(/\$\{(\w+):=([^}]*)\}/g, (_m, _name: string, value: string) => value)
    .replace(/\$\{(\w+)\}/g, (_m, name: string) => variables[name] ?? 'x');
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

function errorsOf(result: SchemaCheckResult) {
  if (result.ok) throw new Error('expected the check to fail');
  return result;
}

const strict = { fieldValidation: 'Strict' as const };
/** What kube-apiserver adds when blocking schema errors keep it from evaluating CEL rules. */
const rulesNotChecked = {
  reason: 'FieldValueInvalid',
  field: '<nil>',
  message:
    'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};
const cluster = () => structuredClone(template('simple-cluster.yaml', 'Cluster'));

describe.skipIf(!haveCapiData)('validating objects against the real CAPI CRDs', () => {
  const templates = fs.existsSync(path.join(capiDir, 'templates'))
    ? fs.readdirSync(path.join(capiDir, 'templates'))
    : [];

  it.each(templates)('accepts every object of %s under Strict, unchanged', (file) => {
    const objects = renderTemplate(file);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const [, version] = object.apiVersion.split('/');
      const result = compiled(object.kind, version).check(object, strict);
      expect(result.ok ? 'ok' : result.message, `${file} ${object.kind}`).toBe('ok');
      if (result.ok) {
        expect(result.warnings).toEqual([]);
        expect(result.object).toEqual(object);
      }
    }
  });

  it('rejects a wrong type with the field path and kube-apiserver message', () => {
    const object = cluster();
    (object.spec as Record<string, unknown>).paused = 'yes';
    const result = errorsOf(compiled('Cluster').check(object, strict));
    expect(result.code).toBe(422);
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.paused',
        message: 'Invalid value: "string": spec.paused in body must be of type boolean: "string"',
      },
      // The Cluster CRD has CEL rules; a type error keeps kube-apiserver from running them.
      rulesNotChecked,
    ]);
    expect(result.message).toBe(
      '[spec.paused: Invalid value: "string": spec.paused in body must be of type boolean: "string", <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
    );
  });

  it('rejects a pattern mismatch, a too-long string and a missing required field in one answer', () => {
    const object = cluster();
    object.spec = {
      topology: {
        classRef: { name: 'Bad_Name' },
        workers: { machineDeployments: [{ class: 'w', name: 'md-0' }] },
      },
    };
    const long = structuredClone(object);
    (long.spec as { topology: { classRef: { name: string } } }).topology.classRef.name = 'a'.repeat(254);
    const result = errorsOf(compiled('Cluster').check(object, strict));
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.topology.classRef.name',
        message: `Invalid value: "Bad_Name": spec.topology.classRef.name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'`,
      },
      { reason: 'FieldValueRequired', field: 'spec.topology.version', message: 'Required value' },
      rulesNotChecked,
    ]);
    expect(result.message).toMatch(
      /^\[spec\.topology\.classRef\.name: Invalid value: "Bad_Name": .*, spec\.topology\.version: Required value, <nil>: /,
    );
    const tooLong = errorsOf(compiled('Cluster').check(long, strict));
    expect(tooLong.causes).toContainEqual({
      reason: 'FieldValueTooLong',
      field: 'spec.topology.classRef.name',
      message: 'Too long: may not be more than 253 bytes',
    });
  });

  it('rejects a value outside an enum', () => {
    const rule: KubeObject = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDrainRule',
      metadata: { name: 'r', namespace: 'default' },
      spec: { drain: { behavior: 'Later', order: 1 } },
    };
    const result = errorsOf(compiled('MachineDrainRule').check(rule, strict));
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.drain.behavior',
        message: 'Unsupported value: "Later": supported values: "Drain", "Skip", "WaitCompleted"',
      },
      rulesNotChecked,
    ]);
  });

  it('rejects duplicate keys in an x-kubernetes-list-type=map list', () => {
    const object = cluster();
    object.spec = {
      topology: {
        classRef: { name: 'quick-start' },
        version: 'v1.31.0',
        workers: {
          machineDeployments: [
            { class: 'default-worker', name: 'md-0' },
            { class: 'default-worker', name: 'md-0' },
          ],
        },
      },
    };
    const result = errorsOf(compiled('Cluster').check(object, strict));
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueDuplicate',
        field: 'spec.topology.workers.machineDeployments[1]',
        message: 'Duplicate value: {"name":"md-0"}',
      },
    ]);
  });

  it('checks int-or-string fields', () => {
    const md = structuredClone(template('simple-cluster.yaml', 'MachineDeployment'));
    const spec = md.spec as Record<string, unknown>;
    spec.rollout = {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    };
    expect(compiled('MachineDeployment').check(md, strict).ok).toBe(true);
    spec.rollout = { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } } };
    const result = errorsOf(compiled('MachineDeployment').check(md, strict));
    expect(result.causes.map((c) => c.field)).toEqual(['spec.rollout.strategy.rollingUpdate.maxSurge']);
  });

  describe('unknown fields', () => {
    const withUnknown = () => {
      const object = cluster();
      (object.spec as Record<string, unknown>).replicas = 3;
      (object.metadata as Record<string, unknown>).colour = 'blue';
      return object;
    };

    it('are a 400 strict decoding error under Strict', () => {
      const result = errorsOf(compiled('Cluster').check(withUnknown(), strict));
      expect(result.code).toBe(400);
      expect(result.message).toBe(
        'Cluster in version "v1beta2" cannot be handled as a Cluster: strict decoding error: unknown field "metadata.colour", unknown field "spec.replicas"',
      );
    });

    it('in metadata of the wrong JSON type are a 400 decoding error, as Go decoding reports them', () => {
      const object = cluster();
      object.metadata.labels = { team: 7 } as unknown as Record<string, string>;
      const result = errorsOf(compiled('Cluster').check(object, strict));
      expect(result.code).toBe(400);
      expect(result.message).toBe(
        'Cluster in version "v1beta2" cannot be handled as a Cluster: json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string',
      );
      const nulls = cluster();
      nulls.metadata.annotations = { note: null } as unknown as Record<string, string>;
      expect(compiled('Cluster').check(nulls, strict)).toMatchObject({
        ok: true,
        object: { metadata: { annotations: { note: '' } } },
      });
    });

    it('are dropped with a warning each under Warn', () => {
      const result = compiled('Cluster').check(withUnknown(), { fieldValidation: 'Warn' });
      expect(result).toMatchObject({
        ok: true,
        warnings: ['unknown field "metadata.colour"', 'unknown field "spec.replicas"'],
      });
      if (result.ok) {
        expect(result.object.spec).not.toHaveProperty('replicas');
        expect(result.object.metadata).not.toHaveProperty('colour');
      }
    });

    it('inside ownerReferences are unknown fields too', () => {
      const object = cluster();
      object.metadata.ownerReferences = [
        { apiVersion: 'v1', kind: 'Namespace', name: 'n', uid: 'u', colour: 'red' } as never,
      ];
      const result = errorsOf(compiled('Cluster').check(object, strict));
      expect(result.message).toBe(
        'Cluster in version "v1beta2" cannot be handled as a Cluster: strict decoding error: unknown field "metadata.ownerReferences[0].colour"',
      );
    });

    it('are dropped silently under Ignore', () => {
      const result = compiled('Cluster').check(withUnknown(), { fieldValidation: 'Ignore' });
      expect(result).toMatchObject({ ok: true, warnings: [] });
      if (result.ok) expect(result.object.spec).not.toHaveProperty('replicas');
    });

    it('inside lists are reported with the item index', () => {
      const object = cluster();
      object.spec = {
        topology: {
          classRef: { name: 'quick-start' },
          version: 'v1.31.0',
          workers: { machineDeployments: [{ class: 'w', name: 'md-0', colour: 'red' }] },
        },
      };
      const result = errorsOf(compiled('Cluster').check(object, strict));
      expect(result.message).toBe(
        'Cluster in version "v1beta2" cannot be handled as a Cluster: strict decoding error: unknown field "spec.topology.workers.machineDeployments[0].colour"',
      );
    });

    it('are kept where the schema preserves unknown fields', () => {
      const object = cluster();
      object.spec = {
        topology: {
          classRef: { name: 'quick-start' },
          version: 'v1.31.0',
          variables: [{ name: 'imageRepository', value: { nested: { anything: 1 } } }],
        },
      };
      const result = compiled('Cluster').check(object, strict);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.object).toEqual(object);
    });
  });

  describe('pruning and defaulting like kube-apiserver', () => {
    it('drops null in a non-nullable field instead of rejecting it', () => {
      const object = cluster();
      (object.spec as Record<string, unknown>).paused = null;
      const result = compiled('Cluster').check(object, strict);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.object.spec).not.toHaveProperty('paused');
    });

    it('applies defaults of the real KubeadmControlPlane schema, inside list items', () => {
      const kcp = structuredClone(template('simple-cluster.yaml', 'KubeadmControlPlane'));
      const spec = kcp.spec as { kubeadmConfigSpec: Record<string, unknown> };
      spec.kubeadmConfigSpec.clusterConfiguration = {
        apiServer: {
          extraEnvs: [
            { name: 'TOKEN', valueFrom: { secretKeyRef: { key: 'token' } } },
            { name: 'FILE', valueFrom: { fileKeyRef: { key: 'k', path: 'p', volumeName: 'v' } } },
          ],
        },
      };
      const result = compiled('KubeadmControlPlane').check(kcp, strict);
      expect(result.ok ? 'ok' : result.message).toBe('ok');
      if (!result.ok) return;
      const out = result.object.spec as typeof spec;
      expect(out.kubeadmConfigSpec.clusterConfiguration).toEqual({
        apiServer: {
          extraEnvs: [
            { name: 'TOKEN', valueFrom: { secretKeyRef: { key: 'token', name: '' } } },
            {
              name: 'FILE',
              valueFrom: { fileKeyRef: { key: 'k', path: 'p', volumeName: 'v', optional: false } },
            },
          ],
        },
      });
    });

    it('defaults the HAProxy template reference of a DockerCluster', () => {
      const dc: KubeObject = {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'DockerCluster',
        metadata: { name: 'd', namespace: 'default' },
        spec: { loadBalancer: { customHAProxyConfigTemplateRef: {} } },
      };
      const result = compiled('DockerCluster').check(dc, strict);
      expect(result).toMatchObject({
        ok: true,
        object: { spec: { loadBalancer: { customHAProxyConfigTemplateRef: { name: '' } } } },
      });
    });

    it('does not change the caller’s object', () => {
      const object = cluster();
      (object.spec as Record<string, unknown>).bogus = 1;
      const before = structuredClone(object);
      compiled('Cluster').check(object, { fieldValidation: 'Ignore' });
      expect(object).toEqual(before);
    });
  });

  describe('ratcheting on update', () => {
    it('lets an unchanged invalid value through but not a changed one', () => {
      const old = cluster();
      (old.spec as { topology?: unknown }).topology = { classRef: { name: 'Bad_Name' }, version: 'v1.31.0' };
      const unchanged = structuredClone(old);
      unchanged.metadata.labels = { touched: 'yes' };
      expect(compiled('Cluster').check(unchanged, { ...strict, oldObject: old }).ok).toBe(true);
      const changed = structuredClone(old);
      (changed.spec as { topology: { classRef: { name: string } } }).topology.classRef.name = 'Still_Bad';
      expect(compiled('Cluster').check(changed, { ...strict, oldObject: old }).ok).toBe(false);
    });
  });

  it('checks a Cluster well under a millisecond (printed, not asserted)', () => {
    const cl = compiled('Cluster');
    const object = cluster();
    for (let i = 0; i < 200; i++) cl.check(object, strict);
    const rounds = 2000;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) cl.check(object, strict);
    const perCheck = (performance.now() - start) / rounds;
    console.log(`schema check of a Cluster: ${(perCheck * 1000).toFixed(1)} µs`);
    expect(perCheck).toBeGreaterThan(0);
  });
});

describe('embedded resources', () => {
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'wrappers.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Wrapper', plural: 'wrappers' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    template: {
                      type: 'object',
                      'x-kubernetes-embedded-resource': true,
                      'x-kubernetes-preserve-unknown-fields': true,
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  const wrapper = (template: unknown): KubeObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Wrapper',
    metadata: { name: 'w', namespace: 'default' },
    spec: { template },
  });

  it('keep their fields, prune their metadata to ObjectMeta and need apiVersion and kind', () => {
    const version = compileCrd(crd).versions[0]!;
    const result = version.check(
      wrapper({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', extra: 1 }, data: { a: 'b' } }),
      { fieldValidation: 'Warn' },
    );
    expect(result).toMatchObject({
      ok: true,
      warnings: ['unknown field "spec.template.metadata.extra"'],
      object: {
        spec: {
          template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } },
        },
      },
    });
    const missing = version.check(wrapper({ data: {} }), strict);
    expect(missing.ok ? [] : missing.causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.template.apiVersion: Required value',
      'spec.template.kind: Required value',
    ]);
  });
});

describe('bad input', () => {
  it('answers 400 for absurdly deep nesting instead of throwing', () => {
    const version = compileCrd(builtinCrds[0]!).versions[0]!;
    const depth = 20_000;
    const spec = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;
    const object: KubeObject = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: 'x' },
      spec,
    };
    expect(version.check(object, strict)).toMatchObject({
      ok: false,
      code: 400,
      message: 'Cluster in version "v1beta2" cannot be handled as a Cluster: json: exceeded max depth',
    });
  });
});
