import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';

/** The clients a contract test talks to a management cluster with, as a gateway would. */
export interface TestKube {
  kc: KubeConfig;
  objects: KubernetesObjectApi;
  custom: CustomObjectsApi;
  core: CoreV1Api;
  watch: Watch;
}

export function testKube(kubeconfigPath: string): TestKube {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    kc,
    objects: KubernetesObjectApi.makeApiClient(kc),
    custom: kc.makeApiClient(CustomObjectsApi),
    core: kc.makeApiClient(CoreV1Api),
    watch: new Watch(kc),
  };
}

export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** The HTTP status of a failed API call, or undefined for other errors. */
export function statusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** Resolves with the status code the call failed with; fails the test if it succeeded. */
export async function failureCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
  } catch (error) {
    return statusCode(error);
  }
  throw new Error('expected the API call to fail, it succeeded');
}

export async function createAll(
  kube: TestKube,
  objects: KubernetesObject[],
  namespace: string,
): Promise<void> {
  for (const obj of objects) {
    await kube.objects.create({ ...obj, metadata: { ...obj.metadata, namespace } });
  }
}

/** A loose view of a Kubernetes object's fields for assertions. */
export type Loose = KubernetesObject & {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

export async function listItems(
  kube: TestKube,
  apiVersion: string,
  kind: string,
  namespace: string,
  labelSelector?: string,
): Promise<Loose[]> {
  const list = await kube.objects.list<Loose>(
    apiVersion,
    kind,
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    labelSelector,
  );
  return list.items;
}

export async function exists(
  kube: TestKube,
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<boolean> {
  try {
    await kube.objects.read({ apiVersion, kind, metadata: { name, namespace } });
    return true;
  } catch (error) {
    if (statusCode(error) === 404) return false;
    throw error;
  }
}
