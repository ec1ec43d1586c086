/**
 * The two demo clusters a newcomer sees provisioning: one from the project's ClusterClass and
 * one built from plain objects (KubeadmControlPlane + MachineDeployment on Dev* infrastructure).
 */
import { DEMO_CLASS_NAME } from './demo-cluster-class.ts';

export const DEMO_NAMESPACE = 'default';

export const demoTopologyClusterYaml = `
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: demo-topology
  labels: { capi-gateway.dev/demo: "true", environment: staging }
spec:
  clusterNetwork:
    pods: { cidrBlocks: ["192.168.0.0/16"] }
    services: { cidrBlocks: ["10.128.0.0/12"] }
    serviceDomain: cluster.local
  topology:
    classRef: { name: ${DEMO_CLASS_NAME} }
    version: v1.33.1
    variables:
      - { name: region, value: eu-west }
    controlPlane:
      replicas: 3
    workers:
      machineDeployments:
        - { class: general-purpose, name: pool-a, replicas: 2 }
        - { class: general-purpose, name: pool-b, replicas: 1 }
`;

export const demoPlainClusterYaml = `
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: demo-plain
  labels: { capi-gateway.dev/demo: "true", environment: dev }
spec:
  clusterNetwork:
    pods: { cidrBlocks: ["192.168.0.0/16"] }
    services: { cidrBlocks: ["10.96.0.0/12"] }
  controlPlaneRef: { apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: demo-plain-control-plane }
  infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevCluster, name: demo-plain }
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevCluster
metadata:
  name: demo-plain
spec:
  backend:
    inMemory: {}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevMachineTemplate
metadata:
  name: demo-plain-machines
spec:
  template:
    spec:
      backend:
        inMemory:
          vm: { provisioning: { startupDuration: "12s", startupJitter: "0.4" } }
          node: { provisioning: { startupDuration: "4s", startupJitter: "0.3" } }
          apiServer: { provisioning: { startupDuration: "3s" } }
          etcd: { provisioning: { startupDuration: "2s" } }
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: demo-plain-control-plane
spec:
  replicas: 1
  version: v1.32.4
  machineTemplate:
    spec:
      infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevMachineTemplate, name: demo-plain-machines }
  kubeadmConfigSpec:
    initConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }
    joinConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: demo-plain-workers
spec:
  template:
    spec:
      joinConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata:
  name: demo-plain-workers
spec:
  clusterName: demo-plain
  replicas: 2
  template:
    spec:
      clusterName: demo-plain
      version: v1.32.4
      bootstrap:
        configRef: { apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfigTemplate, name: demo-plain-workers }
      infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevMachineTemplate, name: demo-plain-machines }
`;
