import type { KubeObject } from '../../../src/k8s/kube-object.ts';

/** The same small cluster written as a v1beta2 and as a v1beta1 (CAPI ≥ 1.9) server returns it. */
const meta = (name: string, extra: Partial<KubeObject['metadata']> = {}) => ({
  name,
  namespace: 'team-a',
  uid: `uid-${name}`,
  creationTimestamp: '2026-01-01T00:00:00Z',
  labels: { 'cluster.x-k8s.io/cluster-name': 'c1' },
  ...extra,
});

const v2Conditions = [
  { type: 'Available', status: 'True', reason: 'Available', lastTransitionTime: '2026-01-01T00:01:00Z' },
];

export const v1beta2 = {
  cluster: {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: meta('c1', { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }),
    spec: {
      controlPlaneRef: {
        apiGroup: 'controlplane.cluster.x-k8s.io',
        kind: 'KubeadmControlPlane',
        name: 'c1-cp',
      },
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerCluster', name: 'c1' },
      controlPlaneEndpoint: { host: '10.0.0.1', port: 6443 },
      topology: {
        classRef: { name: 'quick-start' },
        version: 'v1.33.0',
        variables: [{ name: 'imageRepository', value: 'r' }],
      },
    },
    status: {
      phase: 'Provisioned',
      initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
      controlPlane: {
        desiredReplicas: 3,
        replicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        upToDateReplicas: 3,
      },
      workers: {
        desiredReplicas: 2,
        replicas: 2,
        readyReplicas: 1,
        availableReplicas: 1,
        upToDateReplicas: 2,
        versions: [{ version: 'v1.33.0', replicas: 2 }],
      },
      conditions: v2Conditions,
    },
  },
  kcp: {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'KubeadmControlPlane',
    metadata: meta('c1-cp'),
    spec: {
      replicas: 3,
      version: 'v1.33.0',
      machineTemplate: {
        spec: {
          infrastructureRef: {
            apiGroup: 'infrastructure.cluster.x-k8s.io',
            kind: 'DockerMachineTemplate',
            name: 'cp',
          },
        },
      },
      rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
    },
    status: {
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      upToDateReplicas: 2,
      version: 'v1.32.1',
      initialization: { controlPlaneInitialized: true },
      conditions: v2Conditions,
    },
  },
  md: {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineDeployment',
    metadata: meta('c1-md'),
    spec: {
      clusterName: 'c1',
      replicas: 2,
      selector: { matchLabels: { pool: 'a' } },
      rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } },
      template: {
        spec: {
          clusterName: 'c1',
          version: 'v1.33.0',
          bootstrap: {
            configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'w' },
          },
          infrastructureRef: {
            apiGroup: 'infrastructure.cluster.x-k8s.io',
            kind: 'DockerMachineTemplate',
            name: 'w',
          },
        },
      },
    },
    status: {
      phase: 'Running',
      replicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
      upToDateReplicas: 2,
      conditions: v2Conditions,
    },
  },
  machine: {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Machine',
    metadata: meta('c1-md-x', {
      ownerReferences: [
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'MachineSet',
          name: 'c1-md-abc',
          uid: 'uid-ms',
          controller: true,
        },
      ],
    }),
    spec: {
      clusterName: 'c1',
      version: 'v1.33.0',
      providerID: 'docker:////c1-md-x',
      failureDomain: 'fd1',
      bootstrap: {
        configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name: 'c1-md-x' },
      },
      infrastructureRef: {
        apiGroup: 'infrastructure.cluster.x-k8s.io',
        kind: 'DockerMachine',
        name: 'c1-md-x',
      },
    },
    status: {
      phase: 'Running',
      nodeRef: { name: 'node-x' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
      initialization: { infrastructureProvisioned: true, bootstrapDataSecretCreated: true },
      conditions: v2Conditions,
    },
  },
} satisfies Record<string, KubeObject>;

export const v1beta1 = {
  cluster: {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: meta('c1'),
    spec: {
      controlPlaneRef: {
        apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
        kind: 'KubeadmControlPlane',
        name: 'c1-cp',
        namespace: 'team-a',
      },
      infrastructureRef: {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
        kind: 'DockerCluster',
        name: 'c1',
      },
      controlPlaneEndpoint: { host: '10.0.0.1', port: 6443 },
      topology: {
        class: 'quick-start',
        version: 'v1.33.0',
        variables: [{ name: 'imageRepository', value: 'r' }],
      },
    },
    status: {
      phase: 'Provisioned',
      infrastructureReady: true,
      controlPlaneReady: true,
      conditions: [
        { type: 'Ready', status: 'True', severity: '', lastTransitionTime: '2026-01-01T00:01:00Z' },
      ],
      v1beta2: {
        conditions: v2Conditions,
        controlPlane: {
          desiredReplicas: 3,
          replicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
          upToDateReplicas: 3,
        },
        workers: {
          desiredReplicas: 2,
          replicas: 2,
          readyReplicas: 1,
          availableReplicas: 1,
          upToDateReplicas: 2,
          versions: [{ version: 'v1.33.0', replicas: 2 }],
        },
      },
    },
  },
  kcp: {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
    kind: 'KubeadmControlPlane',
    metadata: meta('c1-cp'),
    spec: {
      replicas: 3,
      version: 'v1.33.0',
      machineTemplate: {
        infrastructureRef: {
          apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
          kind: 'DockerMachineTemplate',
          name: 'cp',
        },
      },
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
    },
    status: {
      replicas: 3,
      readyReplicas: 3,
      updatedReplicas: 2,
      unavailableReplicas: 0,
      version: 'v1.32.1',
      initialized: true,
      v1beta2: { readyReplicas: 3, availableReplicas: 3, upToDateReplicas: 2, conditions: v2Conditions },
    },
  },
  md: {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineDeployment',
    metadata: meta('c1-md'),
    spec: {
      clusterName: 'c1',
      replicas: 2,
      selector: { matchLabels: { pool: 'a' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      template: {
        spec: {
          clusterName: 'c1',
          version: 'v1.33.0',
          bootstrap: {
            configRef: {
              apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
              kind: 'KubeadmConfigTemplate',
              name: 'w',
            },
          },
          infrastructureRef: {
            apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
            kind: 'DockerMachineTemplate',
            name: 'w',
          },
        },
      },
    },
    status: {
      phase: 'Running',
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      v1beta2: { readyReplicas: 1, availableReplicas: 1, upToDateReplicas: 2, conditions: v2Conditions },
    },
  },
  machine: {
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Machine',
    metadata: meta('c1-md-x', {
      ownerReferences: [
        {
          apiVersion: 'cluster.x-k8s.io/v1beta1',
          kind: 'MachineSet',
          name: 'c1-md-abc',
          uid: 'uid-ms',
          controller: true,
        },
      ],
    }),
    spec: {
      clusterName: 'c1',
      version: 'v1.33.0',
      providerID: 'docker:////c1-md-x',
      failureDomain: 'fd1',
      bootstrap: {
        configRef: {
          apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
          kind: 'KubeadmConfig',
          name: 'c1-md-x',
        },
      },
      infrastructureRef: {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
        kind: 'DockerMachine',
        name: 'c1-md-x',
      },
    },
    status: {
      phase: 'Running',
      nodeRef: { apiVersion: 'v1', kind: 'Node', name: 'node-x', uid: 'n1' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
      bootstrapReady: true,
      infrastructureReady: true,
      v1beta2: { conditions: v2Conditions },
    },
  },
} satisfies Record<string, KubeObject>;
