{{/*
The ClusterRole's rules: exactly what the gateway does on a management cluster (read from
src/capi, src/k8s and src/provisioning). Shared by the in-cluster ClusterRole and the manifest for
remote management clusters (README: "RBAC on remote management clusters").
*/}}
{{- define "capi-gateway.clusterRoleRules" -}}
# Reads. One list+watch per kind fills the caches (src/k8s/list-watch.ts); `get` is the write
# paths' fresh read before a patch (its resourceVersion is the precondition).
# CAPI core: every kind the caches watch (Cluster, ClusterClass, MachineDeployment, MachineSet,
# MachinePool, Machine, MachineHealthCheck) - by wildcard, since new CAPI versions add kinds here.
- apiGroups: [cluster.x-k8s.io]
  resources: ["*"]
  verbs: [get, list, watch]
# Provider kinds: control-plane, infrastructure and bootstrap kinds are watched as soon as an
# object references them (spec.infrastructureRef, controlPlaneRef, bootstrap.configRef, templates),
# so which ones exist is known only at run time (DockerMachine, AWSMachine, VSphereMachine,
# KubeadmConfig, RKE2ControlPlane ...). RBAC cannot name kinds not yet known: the provider groups
# are granted by wildcard. Third-party providers under other groups are not covered (add them).
- apiGroups: [controlplane.cluster.x-k8s.io, infrastructure.cluster.x-k8s.io, bootstrap.cluster.x-k8s.io]
  resources: ["*"]
  verbs: [get, list, watch]
# clusterctl's inventory: which providers (and versions) are installed.
- apiGroups: [clusterctl.cluster.x-k8s.io]
  resources: [providers]
  verbs: [get, list, watch]
# CRDs: kind -> resource, served versions and scope of every CAPI/provider kind (src/k8s/crd-registry.ts),
# and whether the Operation CRD is installed. The chart installs that CRD, so no `create` here.
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  verbs: [get, list, watch]
# Helm never upgrades what crds/ installed: a gateway whose Operation CRD lacks a field it writes
# (spec.requestedGroups) patches that one CRD, by name (src/provisioning/operations/operation-crd.ts).
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  resourceNames: [operations.capi-gateway.dev]
  verbs: [patch]
# Operations: one object per mutation in the namespace of what it changes; every replica watches
# them (a restarted or other replica resumes them); the driving replica patches their status.
- apiGroups: [capi-gateway.dev]
  resources: [operations]
  verbs: [get, list, watch, create, patch]
- apiGroups: [capi-gateway.dev]
  resources: [operations/status]
  verbs: [get, patch]
{{- if .Values.rbac.writes }}
# Writes of the mutations (src/provisioning): server-side apply (patch) of created clusters'
# manifests, merge/JSON patches with resourceVersion preconditions (pause, upgrade, rollout,
# worker pools), creates of new worker pools (and their templates), deletes with propagation.
- apiGroups: [cluster.x-k8s.io]
  resources: [clusters, machinedeployments, machinepools, machinehealthchecks]
  verbs: [create, patch, delete]
# deleteMachine deletes one Machine (CAPI replaces it); nothing else writes Machines.
- apiGroups: [cluster.x-k8s.io]
  resources: [machines]
  verbs: [delete]
# Scaling worker pools goes through the scale subresource.
- apiGroups: [cluster.x-k8s.io]
  resources: [machinedeployments/scale, machinepools/scale]
  verbs: [get, update, patch]
# Control planes are scaled and upgraded (scale subresource, spec.version patch) and created with
# a cluster; their kind is a provider's, so by wildcard (see above).
- apiGroups: [controlplane.cluster.x-k8s.io]
  resources: ["*"]
  verbs: [create, patch, delete]
- apiGroups: [controlplane.cluster.x-k8s.io]
  resources: ["*/scale"]
  verbs: [get, update, patch]
# A created cluster's (and a new worker pool's) infrastructure and bootstrap templates.
- apiGroups: [infrastructure.cluster.x-k8s.io, bootstrap.cluster.x-k8s.io]
  resources: ["*"]
  verbs: [create, patch, delete]
# ClusterResourceSets that clusterctl-style templates carry (CNI and the like).
- apiGroups: [addons.cluster.x-k8s.io]
  resources: [clusterresourcesets]
  verbs: [get, create, patch]
# A create operation finishes when CAPI has written `<cluster>-kubeconfig`. The gateway asks for
# that Secret's metadata only (PartialObjectMetadata; its data never reaches the gateway), but
# RBAC cannot tell a metadata read from a full one: `get` on Secrets. Without it, create
# operations wait at "cannot tell whether Secret ... exists".
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- if .Values.rbac.templateCoreKinds }}
# Core objects a clusterctl-style template may carry, applied with the cluster.
- apiGroups: [""]
  resources: [namespaces, secrets, configmaps, serviceaccounts]
  verbs: [create, patch]
{{- end }}
{{- end }}
{{- if ne .Values.auth.mode "none" }}
# Access control (config keys from the access-control work): the gateway asks the API server
# whether the caller may read or change an object.
- apiGroups: [authorization.k8s.io]
  resources: [subjectaccessreviews]
  verbs: [create]
{{- end }}
{{- if eq (include "capi-gateway.impersonate" .) "true" }}
# Writes (and the kubeconfig read) run as the caller, so the management cluster's own RBAC decides.
- apiGroups: [""]
  resources: [users, groups, serviceaccounts]
  verbs: [impersonate]
- apiGroups: [authentication.k8s.io]
  resources: [uids, userextras/*]
  verbs: [impersonate]
{{- end }}
{{- end -}}

{{/* The Lease electing the replica that drives operations: one name in one namespace. */}}
{{- define "capi-gateway.leaseRoleRules" -}}
# `create` cannot be limited to a name (the object has none before it exists).
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  resourceNames: [{{ .Values.rbac.leaseName }}]
  verbs: [get, update, patch]
{{- end -}}
