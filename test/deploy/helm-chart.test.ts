/**
 * The Helm chart: `helm lint`, and what `helm template` renders — the Deployment a platform team
 * gets (replicas, probes, security context, volumes), a config file the gateway itself accepts,
 * the least-privilege RBAC, the Operation CRD the gateway would otherwise install, and a clear
 * refusal of incomplete values. helm is built from the Go module proxy.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseGatewayConfig } from '../../src/config/load-config.ts';
import { operationCrd } from '../../src/provisioning/operations/operation-crd.ts';
import { chartDir, helm, helmBinary, helmSkipReason, renderChart, testValues } from './helm.ts';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const skip = helmSkipReason();
if (skip) console.warn(`helm chart tests skipped: ${skip}`);

function manifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

function one(all: Manifest[], kind: string, name?: string): Manifest {
  const found = all.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0]!;
}

/** The verbs granted on group/resource (wildcards as RBAC matches them). */
function verbsOn(rules: Rule[], group: string, resource: string): string[] {
  const matches = (r: Rule) =>
    r.apiGroups.includes(group) &&
    r.resources.some(
      (res) =>
        res === resource ||
        (res === '*' && !resource.includes('/')) ||
        (res.startsWith('*/') && resource.endsWith(res.slice(1))),
    );
  return [...new Set(rules.filter(matches).flatMap((r) => r.verbs))].sort();
}

describe.skipIf(skip)('the Helm chart deploy/helm/capi-gateway', () => {
  let bin: string;
  const namespace = 'capi-gateway';
  const tokens = ['--set', 'auth.tokenFile.tokens=t\\,alice\\,1'];

  beforeAll(async () => {
    bin = await helmBinary();
  }, 1_200_000);

  it('passes `helm lint --strict` with the test values and with only a token file set', async () => {
    const withTests = await helm(bin, ['lint', '--strict', chartDir, '-f', testValues]);
    expect(withTests.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    const minimal = await helm(bin, ['lint', '--strict', chartDir, ...tokens]);
    expect(minimal.stdout).toMatch(/0 chart\(s\) failed/);
  });

  it('renders replicas, /healthz and /readyz probes, a non-root read-only container and writable /tmp', async () => {
    const all = manifests(
      await renderChart(bin, { namespace, set: ['auth.tokenFile.tokens=t\\,alice\\,1'] }),
    );
    const deployment = one(all, 'Deployment') as Manifest & {
      spec: { replicas: number; template: { spec: Record<string, never> } };
    };
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec as unknown as {
      securityContext: Record<string, unknown>;
      containers: Array<Record<string, never>>;
      volumes: Array<{ name: string; emptyDir?: object }>;
      serviceAccountName: string;
    };
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    const container = pod.containers[0]! as unknown as {
      args: string[];
      livenessProbe: { httpGet: { path: string } };
      readinessProbe: { httpGet: { path: string } };
      securityContext: Record<string, unknown>;
      resources: object;
      volumeMounts: Array<{ name: string; mountPath: string }>;
    };
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources).toHaveProperty('requests');
    expect(container.args).toEqual(
      expect.arrayContaining(['serve', '--config', '/etc/capi-gateway/config/gateway.yaml']),
    );
    expect(pod.volumes.find((v) => v.name === 'tmp')?.emptyDir).toBeDefined();
    expect(container.volumeMounts.map((m) => m.mountPath)).toContain('/tmp');
    expect(pod.serviceAccountName).toBe(one(all, 'ServiceAccount').metadata.name);
    // Every namespaced object names its namespace, so `helm template | kubectl apply` works too.
    const clusterScoped = ['ClusterRole', 'ClusterRoleBinding'];
    for (const m of all.filter((m) => !clusterScoped.includes(m.kind))) {
      expect(m.metadata.namespace, `${m.kind} ${m.metadata.name}`).toBe(
        m.kind.startsWith('Role') ? 'kube-system' : namespace,
      );
    }
    expect(all.map((m) => m.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'Secret',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
  });

  it('writes a config file the gateway accepts: the in-cluster kubeconfig and each remote one from a Secret', async () => {
    const all = manifests(
      await renderChart(bin, { namespace, values: [testValues], set: ['auth.mode=none'] }),
    );
    const configMap = one(all, 'ConfigMap') as Manifest & { data: Record<string, string> };
    const parsed = parseGatewayConfig(configMap.data['gateway.yaml']!, '/etc/capi-gateway/config');
    expect(parsed).toEqual({
      ok: true,
      config: {
        managementClusters: [
          { name: 'local', kubeconfig: '/etc/capi-gateway/config/in-cluster.kubeconfig' },
          { name: 'hub-eu', kubeconfig: '/etc/capi-gateway/kubeconfigs/hub-eu/kubeconfig' },
          { name: 'hub-us', kubeconfig: '/etc/capi-gateway/kubeconfigs/hub-us/kubeconfig', context: 'admin' },
        ],
        provisioning: { maxWorkerReplicas: 50 },
      },
    });
    const inCluster = parse(configMap.data['in-cluster.kubeconfig']!) as {
      clusters: Array<{ cluster: { server: string } }>;
      users: Array<{ user: { 'auth-provider': { config: { tokenFile: string } } } }>;
    };
    expect(inCluster.clusters[0]!.cluster.server).toBe('https://kubernetes.default.svc');
    expect(inCluster.users[0]!.user['auth-provider'].config.tokenFile).toBe(
      '/var/run/secrets/kubernetes.io/serviceaccount/token',
    );
    // hub-eu's kubeconfig became a Secret; hub-us names an existing one.
    const secrets = all.filter((m) => m.kind === 'Secret').map((m) => m.metadata.name);
    expect(secrets).toEqual(['capi-gateway-kubeconfig-hub-eu']);
    const deployment = one(all, 'Deployment') as unknown as {
      spec: { template: { spec: { volumes: Array<{ name: string; secret?: { secretName: string } }> } } };
    };
    expect(
      deployment.spec.template.spec.volumes.filter((v) => v.secret).map((v) => v.secret!.secretName),
    ).toEqual(['capi-gateway-kubeconfig-hub-eu', 'hub-us-kubeconfig']);
    expect(all.map((m) => m.kind)).toEqual(expect.arrayContaining(['Ingress', 'ServiceMonitor']));
    // With authentication on, /metrics wants a bearer token: Prometheus sends the Secret's.
    const endpoint = (manifest: Manifest) =>
      (manifest as unknown as { spec: { endpoints: Array<Record<string, unknown>> } }).spec.endpoints[0]!;
    expect(endpoint(one(all, 'ServiceMonitor'))).toEqual({
      port: 'http',
      path: '/metrics',
      interval: '30s',
      authorization: { type: 'Bearer', credentials: { name: 'capi-gateway-metrics-token', key: 'token' } },
    });
    const withoutToken = manifests(
      await renderChart(bin, { namespace, set: ['auth.mode=none', 'serviceMonitor.enabled=true'] }),
    );
    expect(endpoint(one(withoutToken, 'ServiceMonitor'))).toEqual({
      port: 'http',
      path: '/metrics',
      interval: '30s',
    });
  });

  it('passes the access-control settings to the config file (token file Secret and OIDC)', async () => {
    const all = manifests(await renderChart(bin, { namespace, values: [testValues] }));
    const configMap = one(all, 'ConfigMap') as Manifest & { data: Record<string, string> };
    expect((parse(configMap.data['gateway.yaml']!) as { auth: unknown }).auth).toEqual({
      tokenFile: '/etc/capi-gateway/auth/tokens.csv',
      oidc: { issuer: 'https://issuer.example.com', audience: 'capi-gateway', groupsClaim: 'groups' },
    });
    expect(one(all, 'Secret', 'capi-gateway-auth')).toMatchObject({
      stringData: { 'tokens.csv': 'test-token,alice,1,"platform"\n' },
    });
  });

  it('grants least privilege: reads by wildcard over the CAPI groups, the writes mutations make, one Lease by name', async () => {
    const all = manifests(await renderChart(bin, { namespace, values: [testValues] }));
    const rules = (one(all, 'ClusterRole') as Manifest & { rules: Rule[] }).rules;
    expect(verbsOn(rules, 'cluster.x-k8s.io', 'machines')).toEqual(['delete', 'get', 'list', 'watch']);
    expect(verbsOn(rules, 'cluster.x-k8s.io', 'machinedeployments/scale')).toEqual([
      'get',
      'patch',
      'update',
    ]);
    expect(verbsOn(rules, 'infrastructure.cluster.x-k8s.io', 'dockermachinetemplates')).toEqual([
      'create',
      'delete',
      'get',
      'list',
      'patch',
      'watch',
    ]);
    expect(verbsOn(rules, 'apiextensions.k8s.io', 'customresourcedefinitions')).toEqual([
      'get',
      'list',
      'patch',
      'watch',
    ]);
    // The patch is its own Operation CRD's only (an older one gains spec.requestedGroups).
    expect(
      rules.filter((r) => r.apiGroups.includes('apiextensions.k8s.io') && r.verbs.includes('patch')),
    ).toEqual([
      {
        apiGroups: ['apiextensions.k8s.io'],
        resources: ['customresourcedefinitions'],
        resourceNames: ['operations.capi-gateway.dev'],
        verbs: ['patch'],
      },
    ]);
    expect(verbsOn(rules, 'authorization.k8s.io', 'subjectaccessreviews')).toEqual(['create']);
    expect(verbsOn(rules, '', 'users')).toEqual(['impersonate']);
    expect(verbsOn(rules, '', 'pods')).toEqual([]);
    expect(rules.some((r) => r.apiGroups.includes('*') || r.verbs.includes('*'))).toBe(false);
    const lease = one(all, 'Role') as Manifest & { rules: Rule[] };
    expect(lease.metadata.namespace).toBe('kube-system');
    expect(lease.rules).toContainEqual(
      expect.objectContaining({
        resourceNames: ['capi-gateway-operations'],
        verbs: ['get', 'update', 'patch'],
      }),
    );

    const readOnly = manifests(
      await renderChart(bin, { namespace, set: ['auth.mode=none', 'rbac.writes=false'] }),
    );
    const readRules = (one(readOnly, 'ClusterRole') as Manifest & { rules: Rule[] }).rules;
    const capiVerbs = ['cluster.x-k8s.io', 'controlplane.cluster.x-k8s.io', 'infrastructure.cluster.x-k8s.io']
      .flatMap((g) => verbsOn(readRules, g, 'anything'))
      .sort();
    expect([...new Set(capiVerbs)]).toEqual(['get', 'list', 'watch']);
    expect(verbsOn(readRules, '', 'users')).toEqual([]);
    expect(verbsOn(readRules, 'authorization.k8s.io', 'subjectaccessreviews')).toEqual([]);
  });

  it('ships the Operation CRD exactly as the gateway would install it', async () => {
    const text = await readFile(join(chartDir, 'crds/operations.capi-gateway.dev.yaml'), 'utf8');
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(operationCrd)));
  });

  it('refuses incomplete values with a message naming the value to set', async () => {
    await expect(renderChart(bin, { namespace })).rejects.toThrow(
      /set auth.tokenFile.existingSecret or auth.tokenFile.tokens/,
    );
    await expect(renderChart(bin, { namespace, set: ['auth.mode=oidc'] })).rejects.toThrow(
      /set auth.oidc.issuer and auth.oidc.audience/,
    );
    await expect(renderChart(bin, { namespace, set: ['auth.mode=basic'] })).rejects.toThrow(
      /auth.mode must be one of/,
    );
    await expect(
      renderChart(bin, { namespace, set: ['auth.mode=none', 'managementClusters.inCluster.enabled=false'] }),
    ).rejects.toThrow(/no management cluster/);
  });
});
