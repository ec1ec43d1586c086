/**
 * A CRD of this project's own that serves two versions with `conversion: None` (no webhook), as
 * providers the repository has never seen ship them: served v1, served + storage v2. The API
 * server stores objects at the storage version and serves, patches, updates and watches them at
 * every served version; None conversion only rewrites apiVersion.
 */
import { expect, it } from 'vitest';
import { pollUntil } from '../realcluster/poll.ts';
import { mergePatch } from './kube.ts';
import type { Loose, TestKube } from './kube.ts';

export interface ConversionContext {
  kube(): TestKube;
  namespace(): string;
  skip: string | undefined;
}

const group = 'contract.capi-gateway.dev';
const plural = 'widgets';

const widgetSchema = {
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { size: { type: 'integer' }, colour: { type: 'string' } },
      },
    },
  },
};

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    conversion: { strategy: 'None' },
    versions: [
      { name: 'v1', served: true, storage: false, schema: widgetSchema },
      { name: 'v2', served: true, storage: true, schema: widgetSchema },
    ],
  },
};

interface WatchedWidget {
  type: string;
  apiVersion: string | undefined;
  size: unknown;
}

export function conversionNoneTests(ctx: ConversionContext): void {
  it.skipIf(ctx.skip)(
    'serves a conversion: None CRD at every served version: created at v1, patched and updated at v2, read at both, watched at v1',
    async () => {
      const kube = ctx.kube();
      const namespace = ctx.namespace();
      await kube.objects.create(crd);
      const ref = (version: string, name = 'w1') => ({ group, version, namespace, plural, name });
      const widget = (version: string): Promise<Loose> =>
        kube.custom.getNamespacedCustomObject(ref(version)) as Promise<Loose>;

      // The CRD's versions are served once it is Established (a moment on kube-apiserver).
      await pollUntil(
        async () =>
          (await kube.custom.createNamespacedCustomObject({
            group,
            version: 'v1',
            namespace,
            plural,
            body: {
              apiVersion: `${group}/v1`,
              kind: 'Widget',
              metadata: { name: 'w1' },
              spec: { size: 1, colour: 'blue' },
            },
          })) as Loose,
        { what: `a Widget created at ${group}/v1`, timeoutMs: 30_000, intervalMs: 500 },
      );

      const listed = (await kube.custom.listNamespacedCustomObject({
        group,
        version: 'v1',
        namespace,
        plural,
      })) as {
        metadata?: { resourceVersion?: string };
      };
      const watched: WatchedWidget[] = [];
      const controller = await kube.watch.watch(
        `/apis/${group}/v1/namespaces/${namespace}/${plural}`,
        { resourceVersion: listed.metadata?.resourceVersion ?? '' },
        (type: string, object: Loose) =>
          watched.push({ type, apiVersion: object.apiVersion, size: object.spec?.size }),
        () => undefined,
      );
      try {
        const patched = (await kube.custom.patchNamespacedCustomObject(
          { ...ref('v2'), body: { spec: { size: 2 } } },
          mergePatch,
        )) as Loose;
        expect(patched.apiVersion).toBe(`${group}/v2`);
        expect(patched.spec).toEqual({ size: 2, colour: 'blue' });

        const atV1 = await widget('v1');
        const atV2 = await widget('v2');
        expect(atV1.apiVersion).toBe(`${group}/v1`);
        expect(atV2.apiVersion).toBe(`${group}/v2`);
        expect(atV1.spec).toEqual({ size: 2, colour: 'blue' });
        expect(atV2.spec).toEqual(atV1.spec);
        expect(atV2.metadata?.resourceVersion).toBe(atV1.metadata?.resourceVersion);

        // A full update at the storage version, from the object read there.
        const updated = (await kube.custom.replaceNamespacedCustomObject({
          ...ref('v2'),
          body: { ...atV2, spec: { ...atV2.spec, size: 3 } },
        })) as Loose;
        expect(updated.apiVersion).toBe(`${group}/v2`);
        expect((await widget('v1')).spec).toEqual({ size: 3, colour: 'blue' });

        const listedAtV2 = (await kube.custom.listNamespacedCustomObject({
          group,
          version: 'v2',
          namespace,
          plural,
        })) as {
          items: Loose[];
        };
        expect(listedAtV2.items.map((w) => [w.apiVersion, w.metadata?.name, w.spec?.size])).toEqual([
          [`${group}/v2`, 'w1', 3],
        ]);

        await pollUntil(async () => (watched.length >= 2 ? true : undefined), {
          what: 'the v1 watch to see both writes',
          timeoutMs: 20_000,
        });
        expect(watched).toEqual([
          { type: 'MODIFIED', apiVersion: `${group}/v1`, size: 2 },
          { type: 'MODIFIED', apiVersion: `${group}/v1`, size: 3 },
        ]);
      } finally {
        controller.abort();
      }
    },
    90_000,
  );
}
