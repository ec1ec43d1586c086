/**
 * The machine templates a seeded fleet's control planes and MachineDeployments reference
 * (DockerMachineTemplate, KubeadmConfigTemplate), as `clusterctl generate cluster` would have
 * created them next to the cluster. The benchmarks leave them out (the gateway reads no
 * templates of a plain cluster); a fleet served with the engine on needs them, or every control
 * plane and MachineSet keeps waiting for a template that never comes.
 */
import type { KubeObject } from '../src/k8s/kube-object.ts';

interface TemplateRef {
  apiGroup: string;
  kind: string;
  name: string;
}

const versions: Record<string, string> = {
  'infrastructure.cluster.x-k8s.io': 'v1beta2',
  'bootstrap.cluster.x-k8s.io': 'v1beta2',
};

/** What the CRDs require of a template's spec (KubeadmConfigTemplate: at least one property). */
const specOf: Record<string, Record<string, unknown>> = {
  KubeadmConfigTemplate: {
    joinConfiguration: { nodeRegistration: { criSocket: 'unix:///var/run/containerd/containerd.sock' } },
  },
};

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );
}

function refAt(o: KubeObject, path: string[]): TemplateRef | undefined {
  const ref = at(o, path) as Partial<TemplateRef> | undefined;
  return ref?.apiGroup && ref.kind?.endsWith('Template') && ref.name ? (ref as TemplateRef) : undefined;
}

function refsOf(o: KubeObject): TemplateRef[] {
  const paths =
    o.kind === 'KubeadmControlPlane'
      ? [['spec', 'machineTemplate', 'spec', 'infrastructureRef']]
      : o.kind === 'MachineDeployment'
        ? [
            ['spec', 'template', 'spec', 'infrastructureRef'],
            ['spec', 'template', 'spec', 'bootstrap', 'configRef'],
          ]
        : [];
  return paths.map((p) => refAt(o, p)).filter((r): r is TemplateRef => r !== undefined);
}

function templateOf(ref: TemplateRef, namespace: string, clusterName: string | undefined): KubeObject {
  return {
    apiVersion: `${ref.apiGroup}/${versions[ref.apiGroup] ?? 'v1beta1'}`,
    kind: ref.kind,
    metadata: {
      uid: '',
      name: ref.name,
      namespace,
      ...(clusterName ? { labels: { 'cluster.x-k8s.io/cluster-name': clusterName } } : {}),
    },
    spec: { template: { spec: specOf[ref.kind] ?? {} } },
  };
}

/** One template per distinct reference of the fleet's control planes and MachineDeployments. */
export function seedTemplates(objects: readonly KubeObject[]): KubeObject[] {
  const templates = new Map<string, KubeObject>();
  for (const o of objects) {
    const namespace = o.metadata.namespace ?? 'default';
    const clusterName = o.metadata.labels?.['cluster.x-k8s.io/cluster-name'];
    for (const ref of refsOf(o)) {
      const key = `${ref.apiGroup}/${ref.kind}/${namespace}/${ref.name}`;
      if (!templates.has(key)) templates.set(key, templateOf(ref, namespace, clusterName));
    }
  }
  return [...templates.values()];
}
