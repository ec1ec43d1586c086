/**
 * The published cluster templates of real providers (CAPA v2.13.0, CAPG v1.13.1, from the local
 * Go module cache; skipped when absent): every CAPI object they write at v1beta1 converts to a
 * v1beta2 object the real v1beta2 schema accepts, and back to the same v1beta1 object (refs at
 * the served version, canonical durations); CAPA's cluster-template.yaml applied with kubectl as
 * published provisions.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { capiConverters } from '../../conversion/capi-converters.ts';
import { labelledCrds, renderProviderTemplate, toYaml } from '../../../test/acceptance/provider-manifests.ts';
import {
  startTestEmbeddedCluster,
  type TestEmbeddedCluster,
} from '../../../test/support/embedded-cluster.ts';
import { haveSharedCapi, parseObjects, realSchemas, schemaProblems } from './conversion-support.ts';
import { asReadBack, convertTo } from './round-trip.ts';

function moduleCache(): string | undefined {
  try {
    return (
      execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8', timeout: 20_000 }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

const cache = moduleCache();
const providers = [
  'sigs.k8s.io/cluster-api-provider-aws/v2@v2.13.0',
  'sigs.k8s.io/cluster-api-provider-gcp@v1.13.1',
].map((m) => (cache ? join(cache, m, 'templates') : ''));
const available = haveSharedCapi && providers.every((dir) => dir && existsSync(dir));
const SKIP = `provider modules not in the Go module cache (${providers.join(', ')}) or ../shared/capi absent`;

/** clusterctl variables replaced by plausible values (counts, versions, names). */
function render(text: string): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::=([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
    if (fallback !== undefined && fallback !== '') return fallback;
    if (name.endsWith('_COUNT')) return '1';
    if (name.includes('VERSION')) return 'v1.34.1';
    return `${name.toLowerCase().replace(/_/g, '-')}`;
  });
}

describe.skipIf(!available)(available ? 'published provider templates (CAPA, CAPG)' : SKIP, () => {
  const converters = capiConverters();
  const checks = available ? realSchemas() : new Map();
  const objects = available
    ? providers.flatMap((dir) =>
        readdirSync(dir)
          .filter((f) => f.startsWith('cluster-template') && f.endsWith('.yaml'))
          .flatMap((f) =>
            parseObjects(render(readFileSync(join(dir, f), 'utf8'))).map((object) => ({ file: f, object })),
          ),
      )
    : [];
  const capi = objects.filter(
    ({ object }) =>
      object.apiVersion?.endsWith('/v1beta1') &&
      converters.lookup(object.apiVersion.split('/')[0]!, object.kind) !== undefined,
  );

  it('write the CAPI kinds at v1beta1', () => {
    const kinds = new Set(capi.map((c) => c.object.kind));
    for (const kind of [
      'Cluster',
      'ClusterClass',
      'KubeadmControlPlane',
      'MachineDeployment',
      'KubeadmConfigTemplate',
    ])
      expect(kinds).toContain(kind);
  });

  it('convert to valid v1beta2 and back', () => {
    const problems: string[] = [];
    for (const { file, object } of capi) {
      const hub = convertTo(converters, object, 'v1beta2');
      problems.push(...schemaProblems(checks, hub).map((p) => `${file}: ${p}`));
      expect(convertTo(converters, hub, 'v1beta1'), `${file} ${object.kind}/${object.metadata.name}`).toEqual(
        asReadBack(object as KubeObject),
      );
    }
    expect(problems).toEqual([]);
  });

  describe('CAPA cluster-template.yaml as published, through kubectl', () => {
    let c: TestEmbeddedCluster;
    const capaDir = providers[0]!.replace(/\/templates$/, '');

    beforeAll(async () => {
      c = await startTestEmbeddedCluster({ controllers: true, speed: 30 });
      // As CAPA's kustomize labels its CRDs on install.
      const crds = await labelledCrds(join(capaDir, 'config/crd/bases'), {
        'cluster.x-k8s.io/v1beta1': 'v1beta1_v1beta2',
      });
      const applied = await c.kubectl(['apply', '--server-side', '-f', '-'], toYaml(crds));
      if (applied.code !== 0) throw new Error(applied.stderr);
    }, 60_000);
    afterAll(async () => {
      await c?.stop();
    });

    it('applies unconverted and reaches Provisioned with every machine Running', async () => {
      const template = await renderProviderTemplate(join(capaDir, 'templates/cluster-template.yaml'), {
        CLUSTER_NAME: 'aws1',
        AWS_REGION: 'eu-west-1',
        AWS_SSH_KEY_NAME: 'default',
        AWS_CONTROL_PLANE_MACHINE_TYPE: 't3.large',
        AWS_NODE_MACHINE_TYPE: 't3.large',
        CONTROL_PLANE_MACHINE_COUNT: '1',
        WORKER_MACHINE_COUNT: '2',
        KUBERNETES_VERSION: 'v1.34.1',
      });
      expect(template.find((o) => o.kind === 'Cluster')?.apiVersion).toBe('cluster.x-k8s.io/v1beta1');
      const applied = await c.kubectl(['apply', '-f', '-'], toYaml(template));
      expect(applied.stderr).toBe('');
      const deadline = Date.now() + 90_000;
      let state = '';
      while (Date.now() < deadline) {
        const cluster = await c.kubectl([
          'get',
          'clusters.v1beta1.cluster.x-k8s.io/aws1',
          '-n',
          'default',
          '-o',
          'jsonpath={.status.phase}',
        ]);
        const machines = await c.kubectl([
          'get',
          'machines.v1beta1.cluster.x-k8s.io',
          '-n',
          'default',
          '-o',
          'jsonpath={.items[*].status.phase}',
        ]);
        state = `${cluster.stdout} / ${machines.stdout}`;
        if (state === 'Provisioned / Running Running Running') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(state).toBe('Provisioned / Running Running Running');
    }, 120_000);

    it('cluster-template-simple-clusterclass.yaml (v1beta1 ClusterClass + topology Cluster) provisions', async () => {
      const template = await renderProviderTemplate(
        join(capaDir, 'templates/cluster-template-simple-clusterclass.yaml'),
        {
          CLUSTER_NAME: 'cc1',
          AWS_REGION: 'eu-west-1',
          AWS_SSH_KEY_NAME: 'default',
          AWS_CONTROL_PLANE_MACHINE_TYPE: 't3.large',
          AWS_NODE_MACHINE_TYPE: 't3.large',
          CNI_RESOURCES: '{}',
          CONTROL_PLANE_MACHINE_COUNT: '1',
          WORKER_MACHINE_COUNT: '2',
          KUBERNETES_VERSION: 'v1.34.1',
        },
      );
      expect(template.find((o) => o.kind === 'ClusterClass')?.apiVersion).toBe('cluster.x-k8s.io/v1beta1');
      const applied = await c.kubectl(['apply', '-f', '-'], toYaml(template));
      expect(applied.code, applied.stderr).toBe(0);
      const deadline = Date.now() + 90_000;
      let state = '';
      while (Date.now() < deadline) {
        const cluster = await c.kubectl([
          'get',
          'clusters.v1beta1.cluster.x-k8s.io/cc1',
          '-n',
          'default',
          '-o',
          'jsonpath={.status.phase} {.spec.topology.class}',
        ]);
        const machines = await c.kubectl([
          'get',
          'machines.v1beta1.cluster.x-k8s.io',
          '-n',
          'default',
          '-l',
          'cluster.x-k8s.io/cluster-name=cc1',
          '-o',
          'jsonpath={.items[*].status.phase}',
        ]);
        state = `${cluster.stdout} / ${machines.stdout}`;
        if (state === 'Provisioned quick-start / Running Running Running') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(state).toBe('Provisioned quick-start / Running Running Running');
    }, 120_000);
  });
});
