/**
 * Kubernetes API semantics the gateway depends on: optimistic concurrency (409), watch from a
 * resourceVersion that is too old (410) and relisting, status and scale subresources, and
 * ownerReference garbage collection.
 */
import { expect, it } from 'vitest';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { pollUntil } from '../realcluster/poll.ts';
import { exists, failureCode, mergePatch } from './kube.ts';
import { expiringHistorySize } from './fixtures.ts';
import type { Loose, TestKube } from './kube.ts';

export interface ApiSemanticsContext {
  kube(): TestKube;
  namespace(): string;
  skip: string | undefined;
}

interface WatchEvent {
  type: string;
  object: { code?: number; metadata?: { name?: string } };
}

interface WatchOutcome {
  events: WatchEvent[];
  /** Set when the server ended the watch with an error instead of an ERROR event. */
  error?: unknown;
}

/**
 * Watches ConfigMaps in the namespace from `resourceVersion` until `until` matches an event, the
 * server ends the watch, or `timeoutMs` passes (then it resolves with what it saw).
 */
async function watchConfigMaps(
  kube: TestKube,
  namespace: string,
  resourceVersion: string,
  until: (event: WatchEvent) => boolean,
  timeoutMs: number,
): Promise<WatchOutcome> {
  const events: WatchEvent[] = [];
  let controller: AbortController | undefined;
  let finish: (outcome: WatchOutcome) => void = () => undefined;
  const outcome = new Promise<WatchOutcome>((resolve) => (finish = resolve));
  const timer = setTimeout(() => finish({ events }), timeoutMs);
  try {
    controller = await kube.watch.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion, allowWatchBookmarks: false },
      (type: string, object: WatchEvent['object']) => {
        events.push({ type, object });
        if (until({ type, object })) finish({ events });
      },
      (error: unknown) => finish(error ? { events, error } : { events }),
    );
  } catch (error) {
    finish({ events, error });
  }
  try {
    return await outcome;
  } finally {
    clearTimeout(timer);
    controller?.abort();
  }
}

/** True when the watch was refused as too old: an ERROR event with code 410, or an HTTP 410. */
function isGone(outcome: WatchOutcome): boolean {
  const errorEvent = outcome.events.some((e) => e.type === 'ERROR' && e.object.code === 410);
  const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error ?? '');
  return errorEvent || /\b410\b/.test(message);
}

function configMap(name: string, data: Record<string, string> = {}): V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

export function apiSemanticsTests(ctx: ApiSemanticsContext): void {
  it.skipIf(ctx.skip)('rejects an update with a stale resourceVersion with 409 Conflict', async () => {
    const { core } = ctx.kube();
    const namespace = ctx.namespace();
    const created = await core.createNamespacedConfigMap({ namespace, body: configMap('occ', { v: '1' }) });
    await core.replaceNamespacedConfigMap({ namespace, name: 'occ', body: { ...created, data: { v: '2' } } });
    const code = await failureCode(
      core.replaceNamespacedConfigMap({ namespace, name: 'occ', body: { ...created, data: { v: '3' } } }),
    );
    expect(code).toBe(409);
    expect((await core.readNamespacedConfigMap({ namespace, name: 'occ' })).data).toEqual({ v: '2' });
  });

  it.skipIf(ctx.skip)(
    'answers a watch from an expired resourceVersion with 410 Gone, and a relist resumes it',
    async () => {
      const kube = ctx.kube();
      const namespace = ctx.namespace();
      const created = await kube.core.createNamespacedConfigMap({
        namespace,
        body: configMap('watched', { v: '1' }),
      });
      const oldVersion = created.metadata?.resourceVersion ?? '';
      // History is kept for a while: until etcd compaction (real) or while it fits the server's
      // event window (embedded); write past the window, then ask until the version is gone.
      for (let v = 2; v <= expiringHistorySize + 20; v++) {
        await kube.core.patchNamespacedConfigMap(
          { namespace, name: 'watched', body: { data: { v: String(v) } } },
          mergePatch,
        );
      }
      await pollUntil(
        async () => {
          const outcome = await watchConfigMaps(
            kube,
            namespace,
            oldVersion,
            (e) => e.type === 'ERROR',
            2_000,
          );
          return isGone(outcome) ? true : undefined;
        },
        {
          what: `410 Gone for a watch from resourceVersion ${oldVersion}`,
          timeoutMs: 90_000,
          intervalMs: 1_000,
        },
      );

      const list = await kube.core.listNamespacedConfigMap({ namespace });
      const resumeFrom = list.metadata?.resourceVersion ?? '';
      const seen = watchConfigMaps(
        kube,
        namespace,
        resumeFrom,
        (e) => e.type === 'ADDED' && e.object.metadata?.name === 'after-relist',
        20_000,
      );
      // Watching from the list's resourceVersion replays the creation even if it lands first.
      await kube.core.createNamespacedConfigMap({ namespace, body: configMap('after-relist') });
      const { events } = await seen;
      expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED after-relist']);
    },
    120_000,
  );

  it.skipIf(ctx.skip)(
    'keeps status out of main-resource updates and spec out of /status updates',
    async () => {
      const { custom } = ctx.kube();
      const namespace = ctx.namespace();
      const ref = {
        group: 'cluster.x-k8s.io',
        version: 'v1beta2',
        namespace,
        plural: 'machinedeployments',
        name: 'md-sub',
      };
      await custom.createNamespacedCustomObject({ ...ref, body: machineDeployment('md-sub', 1) });
      await custom.patchNamespacedCustomObject(
        { ...ref, body: { status: { replicas: 7 }, spec: { replicas: 2 } } },
        mergePatch,
      );
      const afterMain = (await custom.getNamespacedCustomObject(ref)) as Loose;
      expect(afterMain.spec?.replicas).toBe(2);
      expect(afterMain.status?.replicas).not.toBe(7);

      await custom.patchNamespacedCustomObjectStatus(
        { ...ref, body: { status: { replicas: 5 }, spec: { replicas: 4 } } },
        mergePatch,
      );
      const afterStatus = (await custom.getNamespacedCustomObject(ref)) as Loose;
      expect(afterStatus.spec?.replicas).toBe(2);
    },
  );

  it.skipIf(ctx.skip)('reads and writes replicas through the scale subresource', async () => {
    const { custom } = ctx.kube();
    const namespace = ctx.namespace();
    const ref = {
      group: 'cluster.x-k8s.io',
      version: 'v1beta2',
      namespace,
      plural: 'machinedeployments',
      name: 'md-scale',
    };
    await custom.createNamespacedCustomObject({ ...ref, body: machineDeployment('md-scale', 1) });
    const scale = (await custom.getNamespacedCustomObjectScale(ref)) as {
      kind?: string;
      spec?: { replicas?: number };
    };
    expect(scale.kind).toBe('Scale');
    expect(scale.spec?.replicas).toBe(1);
    await custom.patchNamespacedCustomObjectScale({ ...ref, body: { spec: { replicas: 3 } } }, mergePatch);
    expect(((await custom.getNamespacedCustomObject(ref)) as Loose).spec?.replicas).toBe(3);
  });

  it.skipIf(ctx.skip)('garbage-collects dependents when their owner is deleted', async () => {
    const kube = ctx.kube();
    const namespace = ctx.namespace();
    const owner = await kube.core.createNamespacedConfigMap({ namespace, body: configMap('gc-owner') });
    const ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'gc-owner', uid: owner.metadata?.uid ?? '' },
    ];
    await kube.core.createNamespacedConfigMap({
      namespace,
      body: { ...configMap('gc-dependent'), metadata: { name: 'gc-dependent', ownerReferences } },
    });
    await kube.core.deleteNamespacedConfigMap({
      namespace,
      name: 'gc-owner',
      propagationPolicy: 'Background',
    });
    await pollUntil(
      async () => ((await exists(kube, 'v1', 'ConfigMap', namespace, 'gc-dependent')) ? undefined : true),
      {
        what: 'dependent ConfigMap garbage-collected',
        timeoutMs: 30_000,
      },
    );
  });
}

/** A standalone MachineDeployment (no topology), valid for the v1beta2 schema and webhooks. */
function machineDeployment(name: string, replicas: number): Loose {
  const labels = { 'contract-test/deployment': name };
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineDeployment',
    metadata: { name },
    spec: {
      clusterName: 'not-provisioned',
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          clusterName: 'not-provisioned',
          version: 'v1.35.0',
          bootstrap: { dataSecretName: `${name}-bootstrap` },
          infrastructureRef: {
            apiGroup: 'infrastructure.cluster.x-k8s.io',
            kind: 'DevMachineTemplate',
            name: `${name}-infra`,
          },
        },
      },
    },
  };
}
