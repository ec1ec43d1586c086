/**
 * A provider's raw CRDs (config/crd/bases) with the contract labels its kustomize adds on
 * install, and clusterctl templates rendered by the project's renderer.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { renderTemplate, type TemplateVariables } from '../../src/provisioning/render-template.ts';

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export function parseManifest(text: string): ManifestObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as ManifestObject | null)
    .filter((object): object is ManifestObject => object !== null && typeof object === 'object');
}

export function toYaml(objects: readonly ManifestObject[]): string {
  return objects.map((object) => stringify(object)).join('---\n');
}

/** Every CRD in `dir`, labelled as `kustomize build config/default` of the provider would. */
export async function labelledCrds(dir: string, labels: Record<string, string>): Promise<ManifestObject[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.yaml')).sort();
  const crds: ManifestObject[] = [];
  for (const file of files) {
    for (const crd of parseManifest(await readFile(join(dir, file), 'utf8'))) {
      if (crd.kind !== 'CustomResourceDefinition') continue;
      crd.metadata.labels = { ...crd.metadata.labels, ...labels };
      crds.push(crd);
    }
  }
  return crds;
}

export async function renderProviderTemplate(
  path: string,
  variables: TemplateVariables,
): Promise<ManifestObject[]> {
  const rendered = renderTemplate(await readFile(path, 'utf8'), variables);
  if (!rendered.ok) throw new Error(rendered.error.message);
  return parseManifest(rendered.yaml);
}
