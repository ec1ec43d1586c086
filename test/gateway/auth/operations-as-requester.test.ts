/**
 * Operations write as the user who asked, not as the gateway: the mutation's SubjectAccessReview
 * is only the early answer; every write an operation's driver makes later impersonates the
 * requester (user and groups, recorded in the Operation), so the API server applies their RBAC
 * at each step (a RoleBinding removed after the request but before the write counts) — on any
 * replica, one without authentication included. Embedded management
 * cluster: its admission chain shows who each write was made as (kube's AdmissionReview
 * userInfo), and its RBAC refuses what the user may not do although the gateway's own
 * credentials could.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId } from '../../../resolvers/global-id.ts';
import { buildApp, type App } from '../../../src/app.ts';
import { buildAuthenticator } from '../../../src/auth/authenticator.ts';
import type { AdmissionRequest } from '../../../embedded/apiserver/admission.ts';
import { adminUser } from '../../../embedded/apiserver/auth/user.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../../support/embedded-cluster.ts';
import {
  Day2ClusterDocument,
  Day2OperationDocument,
  FleetUpgradeChildrenDocument,
  ScaleMachineDeploymentDocument,
  UpgradeClusterDocument,
  UpgradeClustersDocument,
  type Day2OperationFragment,
} from '../../generated/graphql.ts';
import { applyYaml, getJson, items, plainClusterYaml, waitSettled } from '../support/day2-fleet.ts';
import { finished } from '../support/day2-gateway.ts';
import { eventually, type GqlResponse } from '../support/gql.ts';
import { kubectlOk } from '../support/kube-fleet.ts';
import { fastOperations } from '../support/operations-fixture.ts';

const MC = 'mc';
const FROM = 'v1.33.1';
const TO = 'v1.33.2';

interface User {
  name: string;
  token: string;
  groups: string[];
}

const users = {
  // Reads everything; may patch Clusters (so upgradeCluster's SubjectAccessReview passes) but not
  // the KubeadmControlPlane the upgrade's first step writes.
  dave: { name: 'dave', token: randomBytes(16).toString('hex'), groups: ['auth-readers'] },
  // May upgrade and scale, only through a group: a write not sent with the groups is refused.
  frank: {
    name: 'frank',
    token: randomBytes(16).toString('hex'),
    groups: ['auth-readers', 'capi-upgraders'],
  },
  // May upgrade through her own RoleBinding, removed while her fleet upgrade soaks between waves.
  gina: { name: 'gina', token: randomBytes(16).toString('hex'), groups: ['auth-readers'] },
} satisfies Record<string, User>;

const rbacYaml = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: requester-test-reader }
rules:
  - apiGroups: [cluster.x-k8s.io, controlplane.cluster.x-k8s.io, infrastructure.cluster.x-k8s.io, bootstrap.cluster.x-k8s.io, capi-gateway.dev]
    resources: ["*"]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: requester-test-readers, namespace: default }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: requester-test-reader }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: auth-readers }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: cluster-patcher, namespace: default }
rules:
  - apiGroups: [cluster.x-k8s.io]
    resources: [clusters]
    verbs: [patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: cluster-patcher-dave, namespace: default }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: cluster-patcher }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: dave }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: upgrader, namespace: default }
rules:
  - apiGroups: [cluster.x-k8s.io]
    resources: [clusters, machinedeployments]
    verbs: [patch]
  - apiGroups: [cluster.x-k8s.io]
    resources: [machinedeployments/scale]
    verbs: [get, update, patch]
  - apiGroups: [controlplane.cluster.x-k8s.io]
    resources: [kubeadmcontrolplanes]
    verbs: [patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: upgraders, namespace: default }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: upgrader }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: capi-upgraders }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: upgrader-gina, namespace: default }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: upgrader }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: gina }]
`;

const plain = (name: string, labels = '') =>
  plainClusterYaml({
    name,
    version: FROM,
    controlPlaneReplicas: 1,
    workers: [{ name: 'a', replicas: 1 }],
  }).replace(`name: ${name}\nspec:\n  clusterNetwork`, `name: ${name}${labels}\nspec:\n  clusterNetwork`);

/** A change the API server admitted: whose, to what, and which field it moved. */
interface Admitted {
  resource: string;
  subresource: string | undefined;
  name: string;
  user: string | undefined;
  groups: string[];
  /** spec.paused, spec.version, spec.template.spec.version or spec.replicas: before -> after, when changed. */
  change: string | undefined;
}

const at = (object: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], object);

function changeOf(request: AdmissionRequest): string | undefined {
  const paths = [
    ['spec', 'paused'],
    ['spec', 'version'],
    ['spec', 'template', 'spec', 'version'],
    ['spec', 'replicas'],
  ];
  for (const path of paths) {
    const before = at(request.oldObject, ...path);
    const after = at(request.object, ...path);
    if (request.oldObject && after !== undefined && before !== after)
      return `${path.join('.')}: ${String(before)} -> ${String(after)}`;
  }
  return undefined;
}

describe('operations write as their requester (impersonation), so the API server decides each step', () => {
  let mc: TestEmbeddedCluster;
  let app: App | undefined;
  let dir: string | undefined;
  const admitted: Admitted[] = [];

  async function as<T, V>(user: User, document: TypedDocumentNode<T, V>, variables: V): Promise<T> {
    const res = await fetch(app!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await res.json()) as GqlResponse<T>;
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!;
  }

  /** Polls as `user` until the operation has ended. */
  async function ended(user: User, id: string, timeoutMs = 150_000): Promise<Day2OperationFragment> {
    return eventually(
      async () => {
        const op = (await as(user, Day2OperationDocument, { id })).operation;
        return op && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(op.phase) ? op : undefined;
      },
      timeoutMs,
      `operation ${id} to end`,
    );
  }

  async function operationSpec(id: string): Promise<Record<string, unknown>> {
    const address = decodeGlobalId(id)!;
    return (await getJson<{ spec: Record<string, unknown> }>(mc, 'operations.capi-gateway.dev', address.name))
      .spec;
  }

  async function canI(user: User, verb: string, resource: string): Promise<string> {
    const groups = user.groups.flatMap((g) => ['--as-group', g]);
    const answer = await mc.kubectl([
      'auth',
      'can-i',
      verb,
      resource,
      '-n',
      'default',
      '--as',
      user.name,
      ...groups,
    ]);
    return answer.stdout.trim();
  }

  async function startGateway(withAuth: boolean): Promise<App> {
    let auth = {};
    if (withAuth) {
      dir = await mkdtemp(join(tmpdir(), 'capi-gateway-requester-'));
      const tokenFile = join(dir, 'tokens.csv');
      await writeFile(
        tokenFile,
        Object.values(users)
          .map((u) => `${u.token},${u.name},uid-${u.name},"${u.groups.join(',')}"`)
          .join('\n'),
        { mode: 0o600 },
      );
      const built = await buildAuthenticator({ tokenFile });
      if (!built.ok) throw new Error(built.error);
      auth = { auth: { authenticate: built.authenticate, accessReviewTtlMs: 500 } };
    }
    const started = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [{ name: MC, kubeconfigPath: mc.kubeconfigPath }],
      connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
      operations: fastOperations,
      ...auth,
    });
    await started.start();
    if (!(await started.gateway.fleet.whenSynced(20_000))) throw new Error('gateway did not sync');
    await eventually(
      async () => (started.gateway.operations.store(MC)?.synced ? true : undefined),
      20_000,
      'the Operation CRD to be watched',
    );
    return started;
  }

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
    mc.admission!.validating.push({
      name: 'test-record-requesters',
      validate(request) {
        if (request.namespace === 'default' && !request.dryRun)
          admitted.push({
            resource: request.resource,
            subresource: request.subresource,
            name: request.name,
            user: request.userInfo?.name,
            groups: request.userInfo?.groups ?? [],
            change: changeOf(request),
          });
        return { allowed: true };
      },
    });
    // kubectl's client-side validation wants the OpenAPI document, which the embedded server
    // does not serve for the RBAC kinds; the server validates them itself.
    await kubectlOk(mc, ['apply', '-n', 'default', '--validate=false', '-f', '-'], rbacYaml);
    await applyYaml(
      mc,
      [
        plain('r-deny'),
        plain('r-ok'),
        plain('r-fleet', '\n  labels: { fleet: requester }'),
        plain('r-wave-1', '\n  labels: { fleet: revoked }'),
        plain('r-wave-2', '\n  labels: { fleet: revoked }'),
      ].join('\n---\n'),
    );
    app = await startGateway(true);
    await Promise.all(
      ['r-deny', 'r-ok', 'r-fleet', 'r-wave-1', 'r-wave-2'].map((c) => waitSettled(mc, c, 150_000)),
    );
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a step the user may not do fails the operation Forbidden: the API server refused it, not the gateway', async () => {
    expect(await canI(users.dave, 'patch', 'clusters.cluster.x-k8s.io/r-deny')).toBe('yes');
    expect(
      await canI(users.dave, 'patch', 'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io/r-deny-cp'),
    ).toBe('no');
    const { id } = await eventually(
      async () => {
        const c = (await as(users.dave, Day2ClusterDocument, { managementCluster: MC, name: 'r-deny' }))
          .cluster;
        return c && 'id' in c ? c : undefined;
      },
      20_000,
      'dave to see r-deny',
    );
    // The early check asks for `patch` on the Cluster: dave has it, so the upgrade starts.
    const started = (await as(users.dave, UpgradeClusterDocument, { id, version: TO })).upgradeCluster;
    if (started.__typename !== 'UpgradeClusterPayload') throw new Error(JSON.stringify(started));
    expect(await operationSpec(started.operation.id)).toMatchObject({
      requestedBy: 'dave',
      requestedGroups: ['auth-readers'],
    });

    const op = await ended(users.dave, started.operation.id);
    expect(op.phase).toBe('FAILED');
    const step = op.steps.find((s) => s.phase === 'FAILED')!;
    expect(step.message).toMatch(/^Forbidden: .*403/);
    expect(step.message).toContain('"dave"');
    expect(op.error).toContain('Forbidden');
    // Nothing was written: the control plane still asks for the old version.
    expect((await items(mc, 'kcp', 'r-deny'))[0]!.spec.version).toBe(FROM);
    expect(admitted.filter((a) => a.name === 'r-deny-cp' && a.change)).toEqual([]);
  });

  it('the driver’s writes carry the user and their groups: an upgrade and a scale by a group-granted user', async () => {
    const cluster = (await as(users.frank, Day2ClusterDocument, { managementCluster: MC, name: 'r-ok' }))
      .cluster;
    if (!cluster || !('id' in cluster)) throw new Error('frank cannot see r-ok');
    const started = (await as(users.frank, UpgradeClusterDocument, { id: cluster.id, version: TO }))
      .upgradeCluster;
    if (started.__typename !== 'UpgradeClusterPayload') throw new Error(JSON.stringify(started));
    const op = await ended(users.frank, started.operation.id);
    expect(op, JSON.stringify(op.steps)).toMatchObject({ phase: 'SUCCEEDED' });

    // Every version change of r-ok's control plane and pool was admitted as frank, with his groups.
    const versionChanges = admitted.filter(
      (a) => (a.name === 'r-ok-cp' || a.name === 'r-ok-a') && a.change?.includes('version'),
    );
    expect(versionChanges.map((a) => [a.resource, a.change])).toEqual([
      ['kubeadmcontrolplanes', `spec.version: ${FROM} -> ${TO}`],
      ['machinedeployments', `spec.template.spec.version: ${FROM} -> ${TO}`],
    ]);
    for (const change of versionChanges) {
      expect(change.user).toBe('frank');
      expect(change.groups).toEqual(expect.arrayContaining(users.frank.groups));
    }

    // The scale's write (made by the mutation) as frank too.
    const md = cluster.machineDeployments[0]!;
    const scaled = (await as(users.frank, ScaleMachineDeploymentDocument, { id: md.id, replicas: 2 }))
      .scaleMachineDeployment;
    if (scaled.__typename !== 'ScaleMachineDeploymentPayload') throw new Error(JSON.stringify(scaled));
    expect(
      admitted
        .filter((a) => a.name === 'r-ok-a' && a.subresource === 'scale' && a.change)
        .map((a) => [a.user, a.change]),
    ).toEqual([['frank', 'spec.replicas: 1 -> 2']]);
    expect((await ended(users.frank, scaled.operation.id)).phase).toBe('SUCCEEDED');
  });

  it('a fleet upgrade’s children are recorded, and write, with the requester’s groups', async () => {
    const started = (
      await as(users.frank, UpgradeClustersDocument, {
        filter: { labelSelector: 'fleet=requester' },
        version: TO,
        strategy: { maxConcurrency: 1, waveTimeoutSeconds: 120 },
      })
    ).upgradeClusters;
    if (started.__typename !== 'UpgradeClustersPayload') throw new Error(JSON.stringify(started));
    const parent = await ended(users.frank, started.operation.id);
    expect(parent.phase, JSON.stringify(parent.steps)).toBe('SUCCEEDED');
    const children = (await as(users.frank, FleetUpgradeChildrenDocument, { id: started.operation.id }))
      .operation!.children;
    expect(children).toHaveLength(1);
    expect(await operationSpec(children[0]!.id)).toMatchObject({
      type: 'UpgradeCluster',
      requestedBy: 'frank',
      requestedGroups: users.frank.groups,
    });
    const writes = admitted.filter((a) => a.name === 'r-fleet-cp' && a.change?.includes('version'));
    expect(writes.map((a) => [a.user, a.change])).toEqual([['frank', `spec.version: ${FROM} -> ${TO}`]]);
  });

  it('a user allowed when the fleet upgrade started, whose RoleBinding is removed before a later wave writes, fails that wave Forbidden', async () => {
    expect(
      await canI(users.gina, 'patch', 'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io/r-wave-2-cp'),
    ).toBe('yes');
    const started = (
      await as(users.gina, UpgradeClustersDocument, {
        filter: { labelSelector: 'fleet=revoked' },
        version: TO,
        strategy: { maxConcurrency: 1, waveTimeoutSeconds: 120, soakBetweenWavesSeconds: 4 },
      })
    ).upgradeClusters;
    if (started.__typename !== 'UpgradeClustersPayload') throw new Error(JSON.stringify(started));
    expect(started.waves.map((w) => w.clusters.map((c) => c.name))).toEqual([['r-wave-1'], ['r-wave-2']]);
    // The first wave done, the soak running: the next write is at least seconds away.
    await eventually(
      async () => {
        const op = (await as(users.gina, Day2OperationDocument, { id: started.operation.id })).operation!;
        const soak = op.steps.find((s) => s.name === 'soak-after-wave-1');
        return soak?.phase === 'RUNNING' ? true : undefined;
      },
      120_000,
      'the first wave to succeed and the soak to start',
    );
    await kubectlOk(mc, ['delete', 'rolebinding', '-n', 'default', 'upgrader-gina']);
    expect(
      await canI(users.gina, 'patch', 'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io/r-wave-2-cp'),
    ).toBe('no');

    const parent = await ended(users.gina, started.operation.id);
    expect(parent.phase).toBe('FAILED');
    expect(parent.steps.map((s) => [s.name, s.phase])).toEqual([
      ['wave-1', 'SUCCEEDED'],
      ['soak-after-wave-1', 'SUCCEEDED'],
      ['wave-2', 'FAILED'],
    ]);
    const children = (await as(users.gina, FleetUpgradeChildrenDocument, { id: started.operation.id }))
      .operation!.children;
    const second = children.find((c) => c.phase === 'FAILED')!;
    expect(second.steps.find((s) => s.phase === 'FAILED')!.message).toMatch(/^Forbidden: .*"gina"/);
    expect((await items(mc, 'kcp', 'r-wave-2'))[0]!.spec.version).toBe(FROM);
    expect((await items(mc, 'kcp', 'r-wave-1'))[0]!.spec.version).toBe(TO);
  });

  it('another replica, without authentication, resumes operations as recorded: the user when one was, the gateway for anonymous ones', async () => {
    // A clean stop hands the Lease over; the next replica is configured without authentication.
    await app!.stop();
    app = undefined;
    const operation = (name: string, cluster: string, requester: string) => `
apiVersion: capi-gateway.dev/v1alpha1
kind: Operation
metadata: { name: ${name}, namespace: default }
spec:
  type: PauseCluster
  target: { managementCluster: ${MC}, group: cluster.x-k8s.io, kind: Cluster, namespace: default, name: ${cluster} }
  input: { cluster: ${cluster} }
  cancelRequested: false
${requester}`;
    // As the first replica would have recorded them before going away: one requested by a user
    // who may only read, one requested while no authentication was configured.
    await kubectlOk(
      mc,
      ['apply', '-n', 'default', '-f', '-'],
      [
        operation(
          'resumed-as-reader',
          'r-ok',
          '  requestedBy: reader-only\n  requestedGroups: [auth-readers]',
        ),
        operation('resumed-anonymous', 'r-fleet', '  requestedBy: anonymous'),
      ].join('\n---\n'),
    );
    app = await startGateway(false);
    const id = (name: string) =>
      encodeGlobalId({
        managementCluster: MC,
        group: 'capi-gateway.dev',
        kind: 'Operation',
        namespace: 'default',
        name,
      });

    const asReader = await finished(app, id('resumed-as-reader'), 60_000);
    expect(asReader.phase).toBe('FAILED');
    expect(asReader.steps[0]).toMatchObject({ name: 'paused set', phase: 'FAILED' });
    expect(asReader.steps[0]!.message).toMatch(/^Forbidden: .*"reader-only"/);
    expect(
      ((await getJson(mc, 'cluster', 'r-ok')) as { spec: { paused?: boolean } }).spec.paused ?? false,
    ).toBe(false);

    const anonymous = await finished(app, id('resumed-anonymous'), 60_000);
    expect(anonymous.steps[0]).toMatchObject({ name: 'paused set', phase: 'SUCCEEDED' });
    expect(
      admitted
        .filter(
          (a) => a.name === 'r-fleet' && a.resource === 'clusters' && a.change?.startsWith('spec.paused'),
        )
        .map((a) => a.user)
        .at(-1),
    ).toBe(adminUser.name);
  });
});
