/**
 * The CAPI converters without a server: every CAPI object of ../shared/capi/templates (v1beta2)
 * converts to a v1beta1 object the real v1beta1 schema accepts and back to the same v1beta2
 * object; the provider-style v1beta1 fixture converts to valid v1beta2 and back unchanged.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { capiConverters } from '../../conversion/capi-converters.ts';
import {
  FIXTURES,
  SHARED_CAPI,
  SKIP_REASON,
  haveSharedCapi,
  readObjects,
  realSchemas,
  schemaProblems,
} from './conversion-support.ts';
import { asReadBack, convertTo, groupOf } from './round-trip.ts';

const converters = capiConverters();
const convert = (object: KubeObject, version: string): KubeObject => convertTo(converters, object, version);

const convertible = (o: KubeObject) => converters.lookup(groupOf(o.apiVersion), o.kind) !== undefined;

describe.skipIf(!haveSharedCapi)(haveSharedCapi ? 'CAPI converters' : SKIP_REASON, () => {
  const checks = haveSharedCapi ? realSchemas() : new Map();
  const templates = haveSharedCapi
    ? readdirSync(join(SHARED_CAPI, 'templates'))
        .filter((f) => f.endsWith('.yaml'))
        .flatMap((f) => readObjects(join(SHARED_CAPI, 'templates', f)).map((o) => ({ file: f, object: o })))
        .filter(({ object }) => object.apiVersion?.endsWith('/v1beta2') && convertible(object))
    : [];

  it('covers the CAPI kinds of the shared templates', () => {
    const kinds = new Set(templates.map((t) => t.object.kind));
    for (const kind of [
      'Cluster',
      'ClusterClass',
      'KubeadmControlPlane',
      'MachineDeployment',
      'KubeadmConfigTemplate',
    ])
      expect(kinds).toContain(kind);
  });

  it('v1beta2 template objects → v1beta1 (valid for the real v1beta1 schema) → the same v1beta2 object', () => {
    const problems: string[] = [];
    for (const { file, object } of templates) {
      // Templates use ${VARIABLES} in places a schema checks; the mapping is what is tested here.
      const spoke = convert(object, 'v1beta1');
      problems.push(...schemaProblems(checks, spoke).map((p) => `${file}: ${p}`));
      const back = convert(spoke, 'v1beta2');
      expect(back, `${file} ${object.kind}/${object.metadata.name}`).toEqual(object);
    }
    expect(problems.filter((p) => !p.includes('${'))).toEqual([]);
  });

  it('the provider-style v1beta1 fixture → v1beta2 (valid for the real v1beta2 schema) → the same v1beta1 object (refs at the served version, canonical durations)', () => {
    const objects = readObjects(join(FIXTURES, 'provider-v1beta1.yaml')).filter(convertible);
    expect(objects.length).toBeGreaterThanOrEqual(6);
    for (const object of objects) {
      expect(schemaProblems(checks, object)).toEqual([]);
      const hub = convert(object, 'v1beta2');
      expect(schemaProblems(checks, hub)).toEqual([]);
      expect(convert(hub, 'v1beta1'), `${object.kind}/${object.metadata.name}`).toEqual(asReadBack(object));
    }
  });

  it('maps the fields users write in v1beta1 templates', () => {
    const byKind = new Map(
      readObjects(join(FIXTURES, 'provider-v1beta1.yaml'))
        .filter(convertible)
        .map((o) => [o.kind, convert(o, 'v1beta2')]),
    );
    expect(byKind.get('Cluster')?.['spec']).toMatchObject({
      infrastructureRef: {
        apiGroup: 'infrastructure.cluster.x-k8s.io',
        kind: 'DockerCluster',
        name: 'legacy',
      },
      controlPlaneRef: {
        apiGroup: 'controlplane.cluster.x-k8s.io',
        kind: 'KubeadmControlPlane',
        name: 'legacy-control-plane',
      },
    });
    expect(byKind.get('KubeadmControlPlane')?.['spec']).toMatchObject({
      machineTemplate: {
        spec: {
          infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachineTemplate' },
          deletion: { nodeDrainTimeoutSeconds: 300 },
        },
      },
      rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      kubeadmConfigSpec: {
        clusterConfiguration: {
          apiServer: {
            extraArgs: [
              { name: 'audit-log-maxage', value: '30' },
              { name: 'cloud-provider', value: 'external' },
            ],
          },
        },
        initConfiguration: {
          nodeRegistration: { kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }] },
          timeouts: { controlPlaneComponentHealthCheckSeconds: 1200 },
        },
      },
    });
    expect(byKind.get('MachineDeployment')?.['spec']).toMatchObject({
      rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
      deletion: { order: 'Oldest' },
      template: { spec: { minReadySeconds: 5, deletion: { nodeDrainTimeoutSeconds: 150 } } },
    });
    expect(byKind.get('MachineHealthCheck')?.['spec']).toMatchObject({
      checks: {
        nodeStartupTimeoutSeconds: 600,
        unhealthyNodeConditions: [
          { type: 'Ready', status: 'Unknown', timeoutSeconds: 300 },
          { type: 'Ready', status: 'False', timeoutSeconds: 300 },
        ],
      },
      remediation: { triggerIf: { unhealthyLessThanOrEqualTo: '100%' } },
    });
  });
});
