/**
 * The chart on the REAL management cluster (test/realcluster: kube-apiserver with RBAC and
 * service-account token signing, the CAPI v1.14 managers):
 * - `helm template` output passes the API server's server-side dry run;
 * - the chart's RBAC applied, the gateway runs with nothing but its ServiceAccount's token
 *   (TokenRequest → kubeconfig) and reads the fleet, creates, scales, upgrades and deletes a
 *   cluster (the contract suite's gateway-mutations scenario, unchanged);
 * - the same role missing one rule (create of Clusters) makes createCluster answer a
 *   ForbiddenError, and the gateway keeps answering.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { ContractClusterClassesDocument, ContractCreateClusterDocument } from '../generated/graphql.ts';
import { gatewayMutationTests } from '../contract/gateway-mutations.ts';
import { sharedCapiDir } from '../contract/fixtures.ts';
import { dataOf, managementClusterName, startContractGateway } from '../contract/gateway.ts';
import type { ContractGateway } from '../contract/gateway.ts';
import { createAll, testKube } from '../contract/kube.ts';
import { render } from '../contract/cluster-lifecycle.ts';
import { startRealCluster, type RealCluster } from '../realcluster/fixture.ts';
import { findRealClusterInstall } from '../realcluster/install.ts';
import { pollUntil } from '../realcluster/poll.ts';
import { runKubectl } from '../support/embedded-cluster.ts';
import { helmBinary, helmSkipReason, renderChart, testValues } from './helm.ts';

const install = findRealClusterInstall();
const capiDir = sharedCapiDir();
const skip =
  helmSkipReason() ??
  (install.ok ? undefined : install.reason) ??
  (capiDir === undefined ? '../shared/capi is absent' : undefined);
if (skip) console.warn(`chart on the real management cluster skipped: ${skip}`);

const release = 'capi-gateway';
const releaseNamespace = 'capi-gateway';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

async function kubectl(kubeconfig: string, args: string[], stdin?: string): Promise<string> {
  const result = await runKubectl(kubeconfig, args, stdin);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A kubeconfig for a ServiceAccount token from the TokenRequest API. */
async function serviceAccountKubeconfig(
  cluster: RealCluster,
  dir: string,
  serviceAccount: string,
  form: 'token' | 'tokenFile',
): Promise<string> {
  const token = (
    await kubectl(cluster.kubeconfigPath, [
      'create',
      'token',
      serviceAccount,
      '-n',
      releaseNamespace,
      '--duration',
      '2h',
    ])
  ).trim();
  const caPath = join(dir, `${serviceAccount}.ca.crt`);
  const tokenPath = join(dir, `${serviceAccount}.token`);
  writeFileSync(caPath, cluster.caPem);
  writeFileSync(tokenPath, token, { mode: 0o600 });
  // 'tokenFile' is the chart's in-cluster kubeconfig (the mounted token, re-read as it rotates).
  const user =
    form === 'token'
      ? { token }
      : { 'auth-provider': { name: 'tokenFile', config: { tokenFile: tokenPath } } };
  const path = join(dir, `${serviceAccount}.kubeconfig`);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'real', cluster: { server: cluster.url, 'certificate-authority': caPath } }],
      users: [{ name: serviceAccount, user }],
      contexts: [{ name: 'real', context: { cluster: 'real', user: serviceAccount } }],
      'current-context': 'real',
    }),
    { mode: 0o600 },
  );
  return path;
}

describe.skipIf(skip)('the chart on the real management cluster', () => {
  let cluster: RealCluster | undefined;
  let helm = '';
  const dir = mkdtempSync(join(tmpdir(), 'capi-gateway-deploy-'));
  let gatewayKubeconfig = '';
  const mutationsNamespace = `deploy-mut-${randomBytes(3).toString('hex')}`;
  const requireCluster = (): RealCluster => {
    if (cluster === undefined) throw new Error('the real management cluster did not start');
    return cluster;
  };

  beforeAll(async () => {
    helm = await helmBinary();
    cluster = await startRealCluster();
    await kubectl(cluster.kubeconfigPath, ['create', 'namespace', releaseNamespace]);
    await kubectl(cluster.kubeconfigPath, ['create', 'namespace', mutationsNamespace]);
    // The chart as a platform team installs it (without a ServiceMonitor: no prometheus-operator
    // here), access control off: this gateway does not authenticate callers, so no review or
    // impersonation rights either.
    const manifests = await renderChart(helm, {
      namespace: releaseNamespace,
      release,
      includeCrds: true,
      set: ['auth.mode=none'],
    });
    await kubectl(cluster.kubeconfigPath, ['apply', '--server-side', '-f', '-'], manifests);
    gatewayKubeconfig = await serviceAccountKubeconfig(cluster, dir, release, 'token');
  }, 900_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('accepts every object `helm template` renders (server-side dry run, every optional part but the ServiceMonitor)', async () => {
    const manifests = await renderChart(helm, {
      namespace: releaseNamespace,
      release: 'dry-run',
      includeCrds: true,
      values: [testValues],
      set: ['serviceMonitor.enabled=false'],
    });
    const out = await kubectl(
      requireCluster().kubeconfigPath,
      ['apply', '--server-side', '--dry-run=server', '-f', '-'],
      manifests,
    );
    for (const kind of [
      'deployment.apps',
      'clusterrole.rbac',
      'role.rbac',
      'configmap',
      'secret',
      'ingress',
      'service',
    ]) {
      expect(out).toMatch(
        new RegExp(`^${kind.replace('.', '\\.')}\\S*/\\S+ serverside-applied \\(server dry run\\)`, 'm'),
      );
    }
  });

  it('the ServiceAccount may do what the gateway does, and nothing of another kind', async () => {
    const can = async (verb: string, resource: string, namespace?: string, subresource?: string) =>
      (
        await runKubectl(requireCluster().kubeconfigPath, [
          'auth',
          'can-i',
          verb,
          resource,
          '--as',
          `system:serviceaccount:${releaseNamespace}:${release}`,
          ...(namespace ? ['-n', namespace] : ['--all-namespaces']),
          ...(subresource ? ['--subresource', subresource] : []),
        ])
      ).stdout.trim();
    expect(await can('watch', 'machines.cluster.x-k8s.io')).toBe('yes');
    expect(await can('update', 'machinedeployments.cluster.x-k8s.io', undefined, 'scale')).toBe('yes');
    expect(await can('patch', 'leases.coordination.k8s.io/capi-gateway-operations', 'kube-system')).toBe(
      'yes',
    );
    expect(await can('patch', 'leases.coordination.k8s.io/other', 'kube-system')).toBe('no');
    expect(await can('list', 'pods')).toBe('no');
    expect(await can('list', 'secrets')).toBe('no');
    expect(await can('update', 'machines.cluster.x-k8s.io', undefined, 'status')).toBe('no');
    expect(await can('create', 'customresourcedefinitions.apiextensions.k8s.io')).toBe('no');
    expect(await can('impersonate', 'users')).toBe('no');
  });

  describe('the gateway with only that ServiceAccount token: create, scale, upgrade, delete', () => {
    gatewayMutationTests({
      kube: () => testKube(requireCluster().kubeconfigPath),
      kubeconfigPath: () => gatewayKubeconfig,
      namespace: () => mutationsNamespace,
      capiDir: capiDir ?? '',
      skip,
      stepTimeoutMs: 240_000,
    });
  });

  describe('a role missing one rule', () => {
    let gateway: ContractGateway | undefined;
    afterAll(async () => {
      await gateway?.stop();
    });

    it('createCluster without `create` on Clusters answers ForbiddenError; the gateway keeps answering', async () => {
      const real = requireCluster();
      const chartRole = parseAllDocuments(
        await renderChart(helm, {
          namespace: releaseNamespace,
          release,
          set: ['auth.mode=none'],
        }),
      )
        .map((d) => d.toJS() as { kind?: string; rules?: Rule[] } | null)
        .find((m) => m?.kind === 'ClusterRole')!;
      const rules = chartRole.rules!.map((r) =>
        r.apiGroups.includes('cluster.x-k8s.io') && r.verbs.includes('create')
          ? { ...r, resources: r.resources.filter((res) => res !== 'clusters') }
          : r,
      );
      const name = 'capi-gateway-no-cluster-create';
      const objects = [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: releaseNamespace } },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
          subjects: [{ kind: 'ServiceAccount', name, namespace: releaseNamespace }],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name, namespace: 'kube-system' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${release}-lease` },
          subjects: [{ kind: 'ServiceAccount', name, namespace: releaseNamespace }],
        },
      ];
      await kubectl(
        real.kubeconfigPath,
        ['apply', '--server-side', '-f', '-'],
        objects.map((o) => stringify(o)).join('---\n'),
      );
      // The chart's in-cluster kubeconfig form: the token read from a file.
      const kubeconfig = await serviceAccountKubeconfig(real, dir, name, 'tokenFile');
      const namespace = `deploy-forbidden-${randomBytes(3).toString('hex')}`;
      await kubectl(real.kubeconfigPath, ['create', 'namespace', namespace]);
      await createAll(
        testKube(real.kubeconfigPath),
        render(capiDir!, 'clusterclass-in-memory.yaml', { NAMESPACE: namespace }),
        namespace,
      );
      gateway = await startContractGateway(kubeconfig, { operations: true });
      const g = gateway;
      await pollUntil(
        async () =>
          dataOf(
            await g.query(ContractClusterClassesDocument, {
              managementCluster: managementClusterName,
              namespace,
            }),
          ).clusterClasses.length > 0
            ? true
            : undefined,
        { what: 'the ClusterClass in the gateway', timeoutMs: 30_000, intervalMs: 250 },
      );
      const answer = await g.query(ContractCreateClusterDocument, {
        input: {
          managementCluster: managementClusterName,
          namespace,
          name: 'forbidden',
          clusterClass: 'in-memory',
          kubernetesVersion: 'v1.35.0',
          controlPlaneReplicas: 1,
          workers: [{ name: 'md-0', class: 'default-worker', replicas: 1 }],
          variables: {},
        },
      });
      expect(answer.errors).toBeUndefined();
      const result = dataOf(answer).createCluster;
      expect(result.__typename).toBe('ForbiddenError');
      expect(result).toMatchObject({ message: expect.stringMatching(/forbidden|not allowed|permission/i) });
      const clusters = await runKubectl(real.kubeconfigPath, [
        'get',
        'clusters.cluster.x-k8s.io',
        '-n',
        namespace,
        '-o',
        'name',
      ]);
      expect(clusters.stdout.trim()).toBe('');
      // Still serving: reads answer as before.
      const after = dataOf(
        await g.query(ContractClusterClassesDocument, {
          managementCluster: managementClusterName,
          namespace,
        }),
      );
      expect(after.clusterClasses.map((c) => c.name)).toContain('in-memory');
    }, 180_000);
  });
});
