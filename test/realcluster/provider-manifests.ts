import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { ProviderName } from './install.ts';

/** A Kubernetes object as read from a manifest: only what the fixture touches is typed. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Where a provider's manager serves its webhooks, and the CA its serving certificate chains to. */
export interface WebhookEndpoint {
  port: number;
  caBundlePem: string;
}

interface CrdKustomization {
  resources?: string[];
  patches?: { path: string }[];
  labels?: { pairs?: Record<string, string> }[];
}

/** The name prefix CAPI's kustomize config gives each provider's objects. */
const namePrefix: Record<ProviderName, string> = {
  core: 'capi-',
  'bootstrap-kubeadm': 'capi-kubeadm-bootstrap-',
  'control-plane-kubeadm': 'capi-kubeadm-control-plane-',
  'infrastructure-docker': 'capd-',
};

/** The `cluster.x-k8s.io/provider` label value, as clusterctl and the kustomize config set it. */
const providerLabel: Record<ProviderName, string> = {
  core: 'cluster-api',
  'bootstrap-kubeadm': 'bootstrap-kubeadm',
  'control-plane-kubeadm': 'control-plane-kubeadm',
  'infrastructure-docker': 'infrastructure-docker',
};

function webhookUrl(endpoint: WebhookEndpoint, path: string): string {
  return `https://127.0.0.1:${endpoint.port}${path}`;
}

function base64(pem: string): string {
  return Buffer.from(pem).toString('base64');
}

/**
 * The provider's CRDs as its kustomize config renders them: the labels it adds (the contract
 * labels on provider CRDs, without which CAPI refuses to reconcile their objects) and the
 * conversion webhook on the CRDs it patches — pointed at the manager on loopback by `url:`
 * instead of an in-cluster Service.
 */
export function providerCrds(
  configDir: string,
  provider: ProviderName,
  endpoint: WebhookEndpoint,
): ManifestObject[] {
  const crdDir = join(configDir, provider, 'crd');
  const kustomization = parse(readFileSync(join(crdDir, 'kustomization.yaml'), 'utf8')) as CrdKustomization;
  const labels: Record<string, string> = { 'cluster.x-k8s.io/provider': providerLabel[provider] };
  for (const entry of kustomization.labels ?? []) Object.assign(labels, entry.pairs ?? {});
  const converted = new Set(
    (kustomization.patches ?? []).map(
      (p) => (parse(readFileSync(join(crdDir, p.path), 'utf8')) as ManifestObject).metadata.name,
    ),
  );
  return (kustomization.resources ?? []).map((resource) => {
    const crd = parse(readFileSync(join(crdDir, resource), 'utf8')) as ManifestObject;
    crd.metadata.labels = { ...crd.metadata.labels, ...labels };
    if (converted.has(crd.metadata.name)) {
      const spec = crd.spec as Record<string, unknown>;
      spec.conversion = {
        strategy: 'Webhook',
        webhook: {
          conversionReviewVersions: ['v1'],
          clientConfig: { url: webhookUrl(endpoint, '/convert'), caBundle: base64(endpoint.caBundlePem) },
        },
      };
    }
    return crd;
  });
}

interface WebhookEntry {
  clientConfig: { service?: { path?: string }; url?: string; caBundle?: string };
  [key: string]: unknown;
}

/** The provider's mutating and validating webhook configurations, pointed at its manager on loopback. */
export function providerWebhookConfigurations(
  configDir: string,
  provider: ProviderName,
  endpoint: WebhookEndpoint,
): ManifestObject[] {
  const text = readFileSync(join(configDir, provider, 'webhook', 'manifests.yaml'), 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJSON() as ManifestObject | null)
    .filter((obj): obj is ManifestObject => obj !== null && typeof obj.kind === 'string')
    .map((config) => {
      const webhooks = (config.webhooks as WebhookEntry[] | undefined) ?? [];
      return {
        ...config,
        metadata: {
          ...config.metadata,
          name: `${namePrefix[provider]}${config.metadata.name}`,
          labels: { ...config.metadata.labels, 'cluster.x-k8s.io/provider': providerLabel[provider] },
        },
        webhooks: webhooks.map((webhook) => ({
          ...webhook,
          clientConfig: {
            url: webhookUrl(endpoint, webhook.clientConfig.service?.path ?? '/'),
            caBundle: base64(endpoint.caBundlePem),
          },
        })),
      };
    });
}
