/** CAPI's conversion webhooks (v1beta1 ⇄ v1beta2) for every kind CAPI v1.14 serves at both versions. */
import { converterRegistry, type ConverterRegistry } from '../apiserver/conversion.ts';
import { clusterConverter } from './cluster.ts';
import { clusterClassConverter } from './cluster-class.ts';
import {
  clusterResourceSetBindingConverter,
  clusterResourceSetConverter,
  machineDrainRuleConverter,
} from './cluster-resource-set.ts';
import { kubeadmConfigConverter, kubeadmConfigTemplateConverter } from './kubeadm-config.ts';
import {
  kubeadmControlPlaneConverter,
  kubeadmControlPlaneTemplateConverter,
} from './kubeadm-control-plane.ts';
import { machineConverter } from './machine.ts';
import { machineDeploymentConverter } from './machine-deployment.ts';
import { machineHealthCheckConverter } from './machine-health-check.ts';
import { machinePoolConverter } from './machine-pool.ts';
import { machineSetConverter } from './machine-set.ts';

export const capiConverterList = [
  clusterConverter,
  clusterClassConverter,
  machineConverter,
  machineSetConverter,
  machineDeploymentConverter,
  machinePoolConverter,
  machineHealthCheckConverter,
  machineDrainRuleConverter,
  kubeadmControlPlaneConverter,
  kubeadmControlPlaneTemplateConverter,
  kubeadmConfigConverter,
  kubeadmConfigTemplateConverter,
  clusterResourceSetConverter,
  clusterResourceSetBindingConverter,
];

export function capiConverters(): ConverterRegistry {
  return converterRegistry(capiConverterList);
}
