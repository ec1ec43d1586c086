/** CAPI's webhooks as the embedded API server's admission plugins. */
import type { MutatingAdmissionPlugin, ValidatingAdmissionPlugin } from '../../apiserver/admission.ts';
import { type ClusterTopologyLookup, createClusterWebhook } from './cluster-webhook.ts';
import {
  type KubeadmControlPlaneLookup,
  createKubeadmControlPlaneWebhook,
} from './kubeadm-control-plane-webhook.ts';
import { createKubeadmControlPlaneDefaulting } from './kubeadm-control-plane-defaulting.ts';
import { createMachineDefaultingWebhook } from './machine-deployment-webhook.ts';
import { createCapiSchemaRulesWebhook } from './capi-schema-rules-webhook.ts';
import { createMachineWebhooks } from './machine-webhooks.ts';
import { createMachineHealthCheckWebhook } from './machine-health-check-webhook.ts';

export type CapiAdmissionLookup = ClusterTopologyLookup & KubeadmControlPlaneLookup;

export function capiAdmissionPlugins(lookup: CapiAdmissionLookup): {
  mutating: MutatingAdmissionPlugin[];
  validating: ValidatingAdmissionPlugin[];
} {
  return {
    mutating: [createMachineDefaultingWebhook(), createKubeadmControlPlaneDefaulting()],
    // The CRD schema rules first: a missing field is reported as the API server reports it
    // before any webhook rule looks at the field's value.
    validating: [
      createCapiSchemaRulesWebhook(),
      createMachineWebhooks(),
      createMachineHealthCheckWebhook(),
      createKubeadmControlPlaneWebhook(lookup),
      createClusterWebhook(lookup),
    ],
  };
}
