import { stringify } from 'yaml';
import {
  clusterSpecObjects,
  ownerPatches,
  statusPatches,
  type CapiApi,
  type ClusterSpec,
} from './fleet-objects.ts';

export interface KubectlRunner {
  kubectl(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

export async function kubectlOk(mc: KubectlRunner, args: string[], stdin?: string): Promise<string> {
  const r = await mc.kubectl(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** A multi-document YAML stream (kubectl validates a `List` against core/v1 OpenAPI it may not find). */
function asList(objects: unknown[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

/** Writes the cluster with kubectl the way controllers would leave it: specs, owners, status. */
export async function applyCluster(mc: KubectlRunner, api: CapiApi, spec: ClusterSpec): Promise<void> {
  if (spec.namespace !== 'default') {
    await mc.kubectl(['create', 'namespace', spec.namespace]);
  }
  await kubectlOk(mc, ['apply', '-f', '-'], asList(clusterSpecObjects(api, spec)));
  const listed = JSON.parse(
    await kubectlOk(mc, [
      'get',
      '-n',
      spec.namespace,
      'machinedeployments,machinesets,machines,kubeadmcontrolplanes',
      '-o',
      'json',
    ]),
  ) as { items: Array<{ kind: string; metadata: { name: string; uid: string } }> };
  const uid = (kind: string, name: string): string => {
    const found = listed.items.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found.metadata.uid;
  };
  await kubectlOk(
    mc,
    ['apply', '--server-side', '--field-manager=test-owners', '-f', '-'],
    asList(ownerPatches(api, spec, uid)),
  );
  await kubectlOk(
    mc,
    ['apply', '--server-side', '--subresource=status', '--field-manager=test-controllers', '-f', '-'],
    asList(statusPatches(api, spec)),
  );
}
