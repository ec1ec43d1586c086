/**
 * The project's own ClusterClass for the demo fleet: in-memory (Dev*) infrastructure that boots
 * in tens of simulated seconds, a kubeadm control plane, one worker class, health checks, and a
 * few variables so a create form has something to show. Written for this project.
 */
export const DEMO_CLASS_NAME = 'capi-gateway-demo';

export const demoClusterClassYaml = `
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevClusterTemplate
metadata:
  name: capi-gateway-demo-cluster
spec:
  template:
    spec:
      backend:
        inMemory: {}
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlaneTemplate
metadata:
  name: capi-gateway-demo-control-plane
spec:
  template:
    spec:
      kubeadmConfigSpec:
        clusterConfiguration:
          apiServer:
            certSANs: [localhost, 127.0.0.1]
        initConfiguration:
          nodeRegistration:
            criSocket: unix:///var/run/containerd/containerd.sock
        joinConfiguration:
          nodeRegistration:
            criSocket: unix:///var/run/containerd/containerd.sock
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevMachineTemplate
metadata:
  name: capi-gateway-demo-control-plane
spec:
  template:
    spec:
      backend:
        inMemory:
          vm: { provisioning: { startupDuration: "20s", startupJitter: "0.3" } }
          node: { provisioning: { startupDuration: "5s", startupJitter: "0.3" } }
          apiServer: { provisioning: { startupDuration: "4s", startupJitter: "0.2" } }
          etcd: { provisioning: { startupDuration: "3s", startupJitter: "0.2" } }
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevMachineTemplate
metadata:
  name: capi-gateway-demo-worker
spec:
  template:
    spec:
      backend:
        inMemory:
          vm: { provisioning: { startupDuration: "15s", startupJitter: "0.5" } }
          node: { provisioning: { startupDuration: "5s", startupJitter: "0.3" } }
          apiServer: { provisioning: { startupDuration: "1s" } }
          etcd: { provisioning: { startupDuration: "1s" } }
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: capi-gateway-demo-worker
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          criSocket: unix:///var/run/containerd/containerd.sock
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: ClusterClass
metadata:
  name: ${DEMO_CLASS_NAME}
spec:
  kubernetesVersions: [v1.32.4, v1.33.1, v1.34.0]
  infrastructure:
    templateRef:
      apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
      kind: DevClusterTemplate
      name: capi-gateway-demo-cluster
  controlPlane:
    templateRef:
      apiVersion: controlplane.cluster.x-k8s.io/v1beta2
      kind: KubeadmControlPlaneTemplate
      name: capi-gateway-demo-control-plane
    machineInfrastructure:
      templateRef:
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DevMachineTemplate
        name: capi-gateway-demo-control-plane
    healthCheck:
      checks:
        nodeStartupTimeoutSeconds: 600
        unhealthyNodeConditions:
          - { type: Ready, status: "False", timeoutSeconds: 120 }
          - { type: Ready, status: Unknown, timeoutSeconds: 120 }
  workers:
    machineDeployments:
      - class: general-purpose
        bootstrap:
          templateRef:
            apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
            kind: KubeadmConfigTemplate
            name: capi-gateway-demo-worker
        infrastructure:
          templateRef:
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
            kind: DevMachineTemplate
            name: capi-gateway-demo-worker
        healthCheck:
          checks:
            nodeStartupTimeoutSeconds: 600
            unhealthyNodeConditions:
              - { type: Ready, status: "False", timeoutSeconds: 120 }
              - { type: Ready, status: Unknown, timeoutSeconds: 120 }
          remediation:
            triggerIf:
              unhealthyLessThanOrEqualTo: 40%
  variables:
    - name: region
      required: true
      schema:
        openAPIV3Schema:
          type: string
          description: Where the simulated machines run.
          enum: [eu-west, us-east, ap-south]
          default: eu-west
    - name: workerFlavor
      required: false
      schema:
        openAPIV3Schema:
          type: string
          description: Size of worker machines (informational in the simulation).
          enum: [small, medium, large]
          default: small
`;
