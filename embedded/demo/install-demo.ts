/**
 * Installs the demo ClusterClass and fleet through the API server (as `kubectl apply` would),
 * once: objects that already exist (a restart with the same data dir) are left alone.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { KubeClient, type ResourceType } from '../controllers/kube-client.ts';
import { parseManifests } from '../../src/provisioning/render-template.ts';
import { demoClusterClassYaml } from './demo-cluster-class.ts';
import { DEMO_NAMESPACE, demoPlainClusterYaml, demoTopologyClusterYaml } from './demo-fleet.ts';

const PLURALS: Record<string, string> = {
  Cluster: 'clusters',
  ClusterClass: 'clusterclasses',
  MachineDeployment: 'machinedeployments',
  KubeadmControlPlane: 'kubeadmcontrolplanes',
  KubeadmControlPlaneTemplate: 'kubeadmcontrolplanetemplates',
  KubeadmConfigTemplate: 'kubeadmconfigtemplates',
  DevCluster: 'devclusters',
  DevClusterTemplate: 'devclustertemplates',
  DevMachineTemplate: 'devmachinetemplates',
};

export type InstallDemoResult = { ok: true; created: number } | { ok: false; message: string };

function typeOf(object: KubeObject): ResourceType | undefined {
  const plural = PLURALS[object.kind];
  const [group, version] = object.apiVersion.split('/');
  return plural && group && version
    ? { group, version, plural, kind: object.kind, namespaced: true }
    : undefined;
}

export async function installDemo(kubeconfigPath: string): Promise<InstallDemoResult> {
  const client = new KubeClient(kubeconfigPath);
  let created = 0;
  // The class first, so the topology cluster is admitted without a "class not found" warning.
  for (const yaml of [demoClusterClassYaml, demoPlainClusterYaml, demoTopologyClusterYaml]) {
    const parsed = parseManifests(yaml);
    if (!parsed.ok) return { ok: false, message: parsed.error.message };
    for (const object of parsed.objects as KubeObject[]) {
      const type = typeOf(object);
      if (!type) return { ok: false, message: `the demo has an object of unknown kind ${object.kind}` };
      object.metadata.namespace = DEMO_NAMESPACE;
      const result = await client.create(type, object);
      if (result.ok) created++;
      else if (result.code !== 409)
        return { ok: false, message: `creating ${object.kind} ${object.metadata.name}: ${result.message}` };
    }
  }
  return { ok: true, created };
}
