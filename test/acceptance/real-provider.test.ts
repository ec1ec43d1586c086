/**
 * The product owner's acceptance check of issues 2, 3 and 5 with providers this repo has never
 * seen: CAPA's and CAPG's real CRDs and clusterctl templates (from the Go module proxy) applied
 * with kubectl to `capi-gateway embedded --speed 20`, provisioned, scaled, upgraded, killed with
 * -9 and restarted, deleted — and the same fleet read back through `capi-gateway serve` over two
 * management clusters and compared with kubectl's view.
 *
 * Every gap the check found is fixed, so every check runs by default (README.md has the history).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubectl, type KubectlResult } from '../support/embedded-cluster.ts';
import { eventually, startCli, type CliProcess } from './cli-process.ts';
import { findGoModule } from './go-module.ts';
import { labelledCrds, renderProviderTemplate, toYaml, type ManifestObject } from './provider-manifests.ts';
import { toV1beta2 } from './to-v1beta2.ts';

const CAPA = { module: 'sigs.k8s.io/cluster-api-provider-aws/v2', version: 'v2.13.0' };
const CAPG = { module: 'sigs.k8s.io/cluster-api-provider-gcp', version: 'v1.13.1' };

const [capa, capg] = await Promise.all([
  findGoModule(CAPA.module, CAPA.version),
  findGoModule(CAPG.module, CAPG.version),
]);
const unavailable = [capa, capg].flatMap((lookup) => (lookup.ok ? [] : [lookup.reason]));
if (unavailable.length > 0) {
  console.warn(`skipping the real-provider acceptance check: ${unavailable.join('; ')}`);
}
const capaDir = capa.ok ? capa.dir : '';
const capgDir = capg.ok ? capg.dir : '';

const AWS_VARIABLES = {
  CLUSTER_NAME: 'aws1',
  AWS_REGION: 'eu-west-1',
  AWS_SSH_KEY_NAME: 'default',
  AWS_CONTROL_PLANE_MACHINE_TYPE: 't3.large',
  AWS_NODE_MACHINE_TYPE: 't3.large',
  CONTROL_PLANE_MACHINE_COUNT: '1',
  WORKER_MACHINE_COUNT: '2',
  KUBERNETES_VERSION: 'v1.34.1',
};
const GCP_VARIABLES = {
  CLUSTER_NAME: 'gcp1',
  GCP_PROJECT: 'acceptance',
  GCP_REGION: 'us-east4',
  GCP_NETWORK_NAME: 'default',
  GCP_CONTROL_PLANE_MACHINE_TYPE: 'n1-standard-2',
  GCP_NODE_MACHINE_TYPE: 'n1-standard-2',
  IMAGE_ID: 'projects/acceptance/global/images/node',
  CONTROL_PLANE_MACHINE_COUNT: '3',
  WORKER_MACHINE_COUNT: '2',
  KUBERNETES_VERSION: 'v1.35.0',
};

interface KubeItem {
  kind: string;
  metadata: { name: string; namespace?: string; uid: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

describe.skipIf(unavailable.length > 0)(
  'a held-back provider (CAPA, CAPG) on the embedded management cluster',
  () => {
    let dir: string;
    let embedded: CliProcess;
    let embeddedPort: string;
    let gateway: CliProcess;
    let graphqlUrl: string;
    /** The management cluster `capi-gateway embedded` runs (mc-b): CAPA. */
    let kubeconfigB: string;
    /** The management cluster `serve` embeds (mc-a): CAPG. */
    let kubeconfigA: string;

    const kubectl = (args: string[], stdin?: string): Promise<KubectlResult> =>
      runKubectl(kubeconfigB, args, stdin);
    const ok = async (args: string[], stdin?: string): Promise<string> => {
      const result = await kubectl(args, stdin);
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    const items = async (resource: string, kubeconfig = kubeconfigB): Promise<KubeItem[]> => {
      const result = await runKubectl(kubeconfig, ['get', resource, '-A', '-o', 'json']);
      if (result.code !== 0) throw new Error(result.stderr);
      return (JSON.parse(result.stdout) as { items: KubeItem[] }).items;
    };
    const machinesOf = async (cluster: string, kubeconfig = kubeconfigB): Promise<KubeItem[]> =>
      (await items('machines.cluster.x-k8s.io', kubeconfig)).filter((m) => m.spec?.clusterName === cluster);
    const allRunning = async (
      cluster: string,
      count: number,
      version?: string,
    ): Promise<KubeItem[] | undefined> => {
      const machines = await machinesOf(cluster);
      const done =
        machines.length === count &&
        machines.every(
          (m) => m.status?.phase === 'Running' && (version === undefined || m.spec?.version === version),
        );
      return done ? machines : undefined;
    };
    const startEmbedded = async (port: string): Promise<void> => {
      embedded = startCli([
        'embedded',
        '--speed',
        '20',
        '--data-dir',
        join(dir, 'mc-b'),
        '--no-demo',
        '--port',
        port,
      ]);
      embeddedPort = await embedded.waitFor(/embedded management cluster: https:\/\/127\.0\.0\.1:(\d+)/);
      kubeconfigB = await embedded.waitFor(/kubeconfig: (\S+)/);
    };
    const gql = async <T>(query: string): Promise<T> => {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown[] };
      if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
      return body.data as T;
    };

    let awsTemplate: ManifestObject[];

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'capi-gateway-acceptance-'));
      await startEmbedded('0');
      const config = join(dir, 'fleet.yaml');
      await writeFile(
        config,
        `managementClusters:\n  - name: mc-a\n    embedded: true\n  - name: mc-b\n    kubeconfig: ${kubeconfigB}\n`,
      );
      gateway = startCli([
        'serve',
        '--speed',
        '20',
        '--data-dir',
        join(dir, 'mc-a'),
        '--no-demo',
        '--port',
        '0',
        '--config',
        config,
      ]);
      graphqlUrl = await gateway.waitFor(/GraphQL: (http:\/\/\S+\/graphql)/);
      kubeconfigA = await gateway.waitFor(/kubeconfig: (\S+)/);
      awsTemplate = await renderProviderTemplate(
        join(capaDir, 'templates/cluster-template.yaml'),
        AWS_VARIABLES,
      );
    });

    afterAll(async () => {
      await Promise.all([gateway?.kill9(), embedded?.kill9()]);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('applies the provider CRDs server-side, with the contract labels an install adds', async () => {
      // CAPA's kustomization labels its CRDs cluster.x-k8s.io/v1beta1: v1beta1_v1beta2.
      const crds = await labelledCrds(join(capaDir, 'config/crd/bases'), {
        'cluster.x-k8s.io/v1beta1': 'v1beta1_v1beta2',
      });
      await ok(['apply', '--server-side', '-f', '-'], toYaml(crds));
      const resources = await ok([
        'api-resources',
        '--api-group',
        'infrastructure.cluster.x-k8s.io',
        '-o',
        'name',
      ]);
      expect(resources).toContain('awsmachines.infrastructure.cluster.x-k8s.io');
      expect(resources).toContain('awsmachinetemplates.infrastructure.cluster.x-k8s.io');
    });

    it('accepts the template as published (CAPI v1beta1 objects), as a v1.14 cluster does', async () => {
      const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], toYaml(awsTemplate));
      expect(result.stderr).not.toContain('no matches for kind');
      expect(result.code).toBe(0);
    });

    it('provisions the template (converted to v1beta2): Provisioned, every machine Running', async () => {
      await ok(['apply', '-f', '-'], toYaml(toV1beta2(awsTemplate)));
      await eventually(async () => {
        const [cluster] = await items('clusters.cluster.x-k8s.io');
        return cluster?.status?.phase === 'Provisioned' ? cluster : undefined;
      }, 'Cluster aws1 Provisioned');
      const machines = await eventually(() => allRunning('aws1', 3), 'three Running machines');
      // AWSMachine declares the v1beta1 contract: the simulated provider writes status.ready.
      const awsMachines = await items('awsmachines.infrastructure.cluster.x-k8s.io');
      expect(awsMachines.map((m) => m.metadata.name).sort()).toEqual(
        machines.map((m) => m.metadata.name).sort(),
      );
      for (const awsMachine of awsMachines) {
        expect(awsMachine.status?.ready).toBe(true);
        expect(awsMachine.spec?.providerID).toBeTruthy();
      }
    });

    it('scales the MachineDeployment through the scale subresource', async () => {
      await ok(['scale', 'machinedeployment', 'aws1-md-0', '--replicas=3']);
      const scale = JSON.parse(
        await ok([
          'get',
          '--raw',
          '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments/aws1-md-0/scale',
        ]),
      ) as { spec: { replicas: number } };
      expect(scale.spec.replicas).toBe(3);
      await eventually(() => allRunning('aws1', 4), 'four Running machines');
    });

    it('upgrades the control plane, then the workers: every machine replaced', async () => {
      const before = new Set((await machinesOf('aws1')).map((m) => m.metadata.uid));
      await ok([
        'patch',
        'kcp',
        'aws1-control-plane',
        '--type',
        'merge',
        '-p',
        '{"spec":{"version":"v1.35.0"}}',
      ]);
      await eventually(async () => {
        const cp = (await machinesOf('aws1')).filter(
          (m) => m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined,
        );
        return cp.length === 1 && cp[0]?.spec?.version === 'v1.35.0' && cp[0].status?.phase === 'Running'
          ? cp
          : undefined;
      }, 'control plane on v1.35.0');
      await ok([
        'patch',
        'md',
        'aws1-md-0',
        '--type',
        'merge',
        '-p',
        '{"spec":{"template":{"spec":{"version":"v1.35.0"}}}}',
      ]);
      const after = await eventually(() => allRunning('aws1', 4, 'v1.35.0'), 'every machine on v1.35.0');
      expect(after.filter((m) => before.has(m.metadata.uid))).toEqual([]);
    });

    it('rejects invalid provider objects with 422 and field paths', async () => {
      const bad = {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'AWSMachineTemplate',
        metadata: { name: 'bad', namespace: 'default' },
        spec: { template: { spec: { instanceType: 't', instanceMetadataOptions: { httpTokens: 'maybe' } } } },
      };
      const result = await kubectl(['create', '-f', '-'], JSON.stringify(bad));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('is invalid');
      expect(result.stderr).toContain(
        'spec.template.spec.instanceMetadataOptions.httpTokens: Unsupported value: "maybe"',
      );
      expect(result.stderr).toContain('spec.template.spec.instanceType');
    });

    it("shows the provider's CLUSTER printer column (an escaped-dot JSONPath)", async () => {
      const table = await ok(['get', 'awsmachines', '-o', 'custom-columns=X:.kind', '--no-headers']);
      expect(table).toContain('AWSMachine');
      const wide = await ok(['get', 'awsmachines', '--no-headers']);
      for (const line of wide.trim().split('\n')) expect(line.split(/\s+/)[1]).toBe('aws1');
    });

    it('the gateway over two management clusters shows what kubectl shows', async () => {
      const crds = await labelledCrds(join(capgDir, 'config/crd/bases'), {
        'cluster.x-k8s.io/v1beta1': 'v1beta1',
      });
      const capgTemplate = await renderProviderTemplate(
        join(capgDir, 'templates/cluster-template.yaml'),
        GCP_VARIABLES,
      );
      const a = (args: string[], stdin?: string) => runKubectl(kubeconfigA, args, stdin);
      expect((await a(['apply', '--server-side', '-f', '-'], toYaml(crds))).code).toBe(0);
      expect((await a(['create', 'namespace', 'fleet-g'])).code).toBe(0);
      const applied = await a(['apply', '-n', 'fleet-g', '-f', '-'], toYaml(toV1beta2(capgTemplate)));
      expect(applied.stderr).toBe('');
      await eventually(async () => {
        const machines = await machinesOf('gcp1', kubeconfigA);
        return machines.length === 5 && machines.every((m) => m.status?.phase === 'Running')
          ? true
          : undefined;
      }, 'gcp1 with five Running machines');

      type Tree = {
        clusters: {
          edges: Array<{
            node: {
              name: string;
              managementCluster: { name: string };
              phase: string;
              infrastructureCluster: { kind: string; provisioned: boolean } | null;
              machines: Array<{
                name: string;
                phase: string;
                version: string;
                providerID: string;
                infrastructureMachine: {
                  kind: string;
                  provisioned: boolean;
                  cluster: { name: string } | null;
                } | null;
              }>;
            };
          }>;
          errors: unknown[];
        };
      };
      const query = `{ clusters(first: 10) { errors { managementCluster message } edges { node {
      name managementCluster { name } phase infrastructureCluster { kind provisioned }
      machines { name phase version providerID infrastructureMachine { kind provisioned cluster { name } } } } } } }`;
      const fromKubectl = async (kubeconfig: string, cluster: string) =>
        (await machinesOf(cluster, kubeconfig))
          .map(
            (m) =>
              `${m.metadata.name} ${String(m.status?.phase)} ${String(m.spec?.version)} ${String(m.spec?.providerID)}`,
          )
          .sort();
      const expected = {
        'mc-a/gcp1': await fromKubectl(kubeconfigA, 'gcp1'),
        'mc-b/aws1': await fromKubectl(kubeconfigB, 'aws1'),
      };
      const tree = await eventually(async () => {
        const answer = await gql<Tree>(query);
        const seen = Object.fromEntries(
          answer.clusters.edges.map(({ node }) => [
            `${node.managementCluster.name}/${node.name}`,
            node.machines.map((m) => `${m.name} ${m.phase} ${m.version} ${m.providerID}`).sort(),
          ]),
        );
        return JSON.stringify(seen) === JSON.stringify(expected) ? answer : undefined;
      }, 'the gateway tree to match kubectl');
      expect(tree.clusters.errors).toEqual([]);
      for (const { node } of tree.clusters.edges) {
        expect(node.phase).toBe('Provisioned');
        expect(node.infrastructureCluster).toEqual({
          kind: node.name === 'gcp1' ? 'GCPCluster' : 'AWSCluster',
          provisioned: true,
        });
        for (const machine of node.machines) {
          expect(machine.infrastructureMachine).toEqual({
            kind: node.name === 'gcp1' ? 'GCPMachine' : 'AWSMachine',
            provisioned: true,
            cluster: { name: node.name },
          });
        }
      }
    });

    it('kill -9 and restart keeps every acknowledged object', async () => {
      const userKinds = [
        'clusters.cluster.x-k8s.io',
        'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
        'machinedeployments.cluster.x-k8s.io',
        'awsclusters.infrastructure.cluster.x-k8s.io',
        'awsmachinetemplates.infrastructure.cluster.x-k8s.io',
        'kubeadmconfigtemplates.bootstrap.cluster.x-k8s.io',
        'customresourcedefinitions.apiextensions.k8s.io',
      ];
      const snapshot = async () =>
        (await Promise.all(userKinds.map((kind) => items(kind))))
          .flat()
          .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}/${o.metadata.uid}`)
          .sort();
      const before = await snapshot();
      await ok(['label', 'cluster', 'aws1', 'acknowledged=yes']);
      await embedded.kill9();
      // The same port: the gateway's config points at the kubeconfig it read at start.
      await startEmbedded(embeddedPort);
      expect(await snapshot()).toEqual(before);
      expect(await ok(['get', 'cluster', 'aws1', '-o', 'jsonpath={.metadata.labels.acknowledged}'])).toBe(
        'yes',
      );
    });

    it('a restart changes no machine: none replaced, none back to Provisioning', async () => {
      const before = (await machinesOf('aws1')).map((m) => m.metadata.uid).sort();
      await embedded.kill9();
      await startEmbedded(embeddedPort);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        const machines = await machinesOf('aws1');
        expect(machines.map((m) => m.metadata.uid).sort()).toEqual(before);
        expect(machines.map((m) => m.status?.phase)).toEqual(machines.map(() => 'Running'));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });

    it('the gateway finds the management cluster again after a restart with --port 0', async () => {
      await embedded.kill9();
      await startEmbedded('0');
      await eventually(
        async () => {
          const answer = await gql<{ managementClusters: Array<{ name: string; reachable: boolean }> }>(
            '{ managementClusters { name reachable } }',
          );
          return answer.managementClusters.every((m) => m.reachable) ? true : undefined;
        },
        'mc-b reachable again',
        30_000,
      );
    });

    it('deleting the Cluster removes everything it owned', async () => {
      await ok(['delete', 'cluster', 'aws1', '--timeout=60s']);
      const owned = [
        'machines.cluster.x-k8s.io',
        'machinesets.cluster.x-k8s.io',
        'machinedeployments.cluster.x-k8s.io',
        'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
        'kubeadmconfigs.bootstrap.cluster.x-k8s.io',
        'awsmachines.infrastructure.cluster.x-k8s.io',
        'awsclusters.infrastructure.cluster.x-k8s.io',
      ];
      await eventually(async () => {
        const left = (await Promise.all(owned.map((kind) => items(kind)))).flat();
        return left.length === 0 ? true : undefined;
      }, 'no objects of aws1 left');
      const secrets = await ok(['get', 'secrets', '-l', 'cluster.x-k8s.io/cluster-name=aws1', '-o', 'name']);
      expect(secrets.trim()).toBe('');
    });
  },
);
