/** CAPI's webhooks as the embedded API server's admission plugins. */
import type { MutatingAdmissionPlugin, ValidatingAdmissionPlugin } from '../../apiserver/admission.ts';
import { type ClusterTopologyLookup, createClusterWebhook } from './cluster-webhook.ts';
import {
  type KubeadmControlPlaneLookup,
  createKubeadmControlPlaneWebhook,
} from './kubeadm-control-plane-webhook.ts';
import { createKubeadmControlPlaneDefaulting } from './kubeadm-control-plane-defaulting.ts';
import { createMachineDefaultingWebhook } from './machine-deployment-webhook.ts';

export type CapiAdmissionLookup = ClusterTopologyLookup & KubeadmControlPlaneLookup;

export function capiAdmissionPlugins(lookup: CapiAdmissionLookup): {
  mutating: MutatingAdmissionPlugin[];
  validating: ValidatingAdmissionPlugin[];
} {
  return {
    mutating: [createMachineDefaultingWebhook(), createKubeadmControlPlaneDefaulting()],
    validating: [createKubeadmControlPlaneWebhook(lookup), createClusterWebhook(lookup)],
  };
}
