/**
 * The `<cluster>-kubeconfig` Secret CAPI's control plane writes: type `cluster.x-k8s.io/secret`,
 * the cluster-name label, the kubeconfig in data key `value`. The simulated workload cluster has
 * no API server, so the kubeconfig points at the simulated endpoint and carries placeholder
 * credentials — the shape is real, nothing in it grants access to anything.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { stringify } from 'yaml';
import { type EngineContext, ownerReference } from './engine-context.ts';
import { LABELS } from './labels.ts';
import { stableSuffix } from './naming.ts';

export function kubeconfigSecretName(clusterName: string): string {
  return `${clusterName}-kubeconfig`;
}

function placeholder(label: string, seed: string): string {
  return Buffer.from(
    `-----BEGIN ${label}-----\nsimulated-${stableSuffix(seed)}\n-----END ${label}-----\n`,
  ).toString('base64');
}

export function renderKubeconfig(clusterName: string, server: string, seed: string): string {
  const user = `${clusterName}-admin`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: clusterName,
        cluster: { server, 'certificate-authority-data': placeholder('CERTIFICATE', `${seed}/ca`) },
      },
    ],
    contexts: [{ name: `${user}@${clusterName}`, context: { cluster: clusterName, user } }],
    'current-context': `${user}@${clusterName}`,
    users: [
      {
        name: user,
        user: {
          'client-certificate-data': placeholder('CERTIFICATE', `${seed}/cert`),
          'client-key-data': placeholder('RSA PRIVATE KEY', `${seed}/key`),
        },
      },
    ],
  });
}

const written = new Set<string>();

/** Creates the Secret once per cluster (owned by the control plane, as CAPI's KCP does). */
export async function ensureKubeconfigSecret(
  ctx: EngineContext,
  cluster: KubeObject,
  owner: KubeObject,
  server: string,
): Promise<boolean> {
  const namespace = cluster.metadata.namespace ?? 'default';
  const clusterName = cluster.metadata.name ?? '';
  const key = `${cluster.metadata.uid}/${owner.metadata.uid}`;
  if (written.has(key)) return true;
  const result = await ctx.client.createSecret({
    metadata: {
      name: kubeconfigSecretName(clusterName),
      namespace,
      labels: { [LABELS.clusterName]: clusterName },
      ownerReferences: [ownerReference(owner, true)],
    },
    type: 'cluster.x-k8s.io/secret',
    data: {
      value: Buffer.from(renderKubeconfig(clusterName, server, cluster.metadata.uid ?? clusterName)).toString(
        'base64',
      ),
    },
  });
  if (result.ok || result.code === 409) {
    written.add(key);
    return true;
  }
  return false;
}

const CERTIFICATE_SECRETS = ['ca', 'etcd', 'proxy', 'sa'] as const;

/** The cluster certificate Secrets KCP generates (`<cluster>-ca`, -etcd, -proxy, -sa), with placeholder PEM. */
export async function ensureCertificateSecrets(
  ctx: EngineContext,
  cluster: KubeObject,
  owner: KubeObject,
): Promise<boolean> {
  const clusterName = cluster.metadata.name ?? '';
  const key = `${cluster.metadata.uid}/${owner.metadata.uid}/certificates`;
  if (written.has(key)) return true;
  for (const purpose of CERTIFICATE_SECRETS) {
    const seed = `${cluster.metadata.uid}/${purpose}`;
    const result = await ctx.client.createSecret({
      metadata: {
        name: `${clusterName}-${purpose}`,
        namespace: cluster.metadata.namespace ?? 'default',
        labels: { [LABELS.clusterName]: clusterName },
        ownerReferences: [ownerReference(owner, true)],
      },
      type: 'cluster.x-k8s.io/secret',
      data: {
        'tls.crt': placeholder(purpose === 'sa' ? 'PUBLIC KEY' : 'CERTIFICATE', `${seed}/crt`),
        'tls.key': placeholder('RSA PRIVATE KEY', `${seed}/key`),
      },
    });
    if (!result.ok && result.code !== 409) return false;
  }
  written.add(key);
  return true;
}

export async function deleteKubeconfigSecret(
  ctx: EngineContext,
  cluster: KubeObject,
  owner: KubeObject,
): Promise<void> {
  written.delete(`${cluster.metadata.uid}/${owner.metadata.uid}`);
  await ctx.client.deleteSecret(
    cluster.metadata.namespace ?? 'default',
    kubeconfigSecretName(cluster.metadata.name ?? ''),
  );
}
