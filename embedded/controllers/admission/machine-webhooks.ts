/**
 * CAPI's validating webhooks for MachineDeployment, MachineSet, MachinePool and Machine: valid
 * semantic versions, an immutable `spec.clusterName`, a selector that selects the template's
 * labels, rollout int-or-percent values, a MachineDeployment name usable as a label value,
 * a bootstrap source (configRef or dataSecretName) on Machines and MachinePools, and one cluster
 * name on a MachinePool and its template.
 */
import type {
  AdmissionCause,
  AdmissionRequest,
  ValidatingAdmissionPlugin,
} from '../../apiserver/admission.ts';
import { field, recordField, stringField, stringMapField } from '../object-fields.ts';
import { allowed, invalidField, rejectInvalid } from './admission-responses.ts';
import {
  changed,
  immutableClusterNameCauses,
  intOrPercentCauses,
  selectorCauses,
  versionCauses,
} from './webhook-field-rules.ts';

const GROUP = 'cluster.x-k8s.io';
/** Machines of a MachinePool get their bootstrap data from the pool (labels.IsMachinePoolOwned). */
const MACHINE_POOL_NAME_LABEL = 'cluster.x-k8s.io/pool-name';

function bootstrapCauses(request: AdmissionRequest, bootstrapPath: string): AdmissionCause[] {
  if (!changed(request, bootstrapPath)) return [];
  const bootstrap = recordField(request.object, bootstrapPath);
  const configRef = recordField(bootstrap, 'configRef');
  const hasConfigRef = configRef !== undefined && Object.keys(configRef).length > 0;
  if (hasConfigRef || typeof field(bootstrap, 'dataSecretName') === 'string') return [];
  return [
    invalidField(
      bootstrapPath,
      `Required value: expected either ${bootstrapPath}.dataSecretName or ${bootstrapPath}.configRef to be populated`,
      'FieldValueRequired',
    ),
  ];
}

/** A MachinePool's machines join the pool's cluster: both cluster names must agree. */
function poolClusterNameCauses(request: AdmissionRequest): AdmissionCause[] {
  const clusterName = stringField(request.object, 'spec.clusterName');
  const templateClusterName = stringField(request.object, 'spec.template.spec.clusterName');
  if (clusterName === undefined || templateClusterName === undefined || clusterName === templateClusterName)
    return [];
  return [
    invalidField(
      'spec.clusterName',
      `Invalid value: "${clusterName}": spec.clusterName and spec.template.spec.clusterName must be set to the same value`,
    ),
  ];
}

function labelValueNameCauses(request: AdmissionRequest): AdmissionCause[] {
  const name = request.object?.metadata.name ?? request.name;
  if (name.length <= 63) return [];
  return [
    invalidField(
      'metadata.name',
      `Invalid value: "${name}": must be a valid label value: must be no more than 63 characters`,
    ),
  ];
}

function machineDeploymentCauses(request: AdmissionRequest): AdmissionCause[] {
  return [
    ...labelValueNameCauses(request),
    ...selectorCauses(request, 'forbidden'),
    ...immutableClusterNameCauses(request),
    ...intOrPercentCauses(request, 'spec.rollout.strategy.rollingUpdate.maxSurge'),
    ...intOrPercentCauses(request, 'spec.rollout.strategy.rollingUpdate.maxUnavailable'),
    ...intOrPercentCauses(request, 'spec.remediation.maxInFlight'),
    ...versionCauses(request, 'spec.template.spec.version'),
  ];
}

function machineSetCauses(request: AdmissionRequest): AdmissionCause[] {
  return [
    ...selectorCauses(request, 'invalid'),
    ...immutableClusterNameCauses(request),
    ...versionCauses(request, 'spec.template.spec.version'),
  ];
}

function machinePoolCauses(request: AdmissionRequest): AdmissionCause[] {
  return [
    ...bootstrapCauses(request, 'spec.template.spec.bootstrap'),
    ...immutableClusterNameCauses(request),
    ...poolClusterNameCauses(request),
    ...versionCauses(request, 'spec.template.spec.version'),
  ];
}

function machineCauses(request: AdmissionRequest): AdmissionCause[] {
  const poolOwned = stringMapField(request.object, 'metadata.labels')[MACHINE_POOL_NAME_LABEL] !== undefined;
  return [
    ...(poolOwned ? [] : bootstrapCauses(request, 'spec.bootstrap')),
    ...immutableClusterNameCauses(request),
    ...versionCauses(request, 'spec.version'),
  ];
}

const rulesByResource: Record<
  string,
  { kind: string; causes: (request: AdmissionRequest) => AdmissionCause[] }
> = {
  machinedeployments: { kind: 'MachineDeployment', causes: machineDeploymentCauses },
  machinesets: { kind: 'MachineSet', causes: machineSetCauses },
  machinepools: { kind: 'MachinePool', causes: machinePoolCauses },
  machines: { kind: 'Machine', causes: machineCauses },
};

export function createMachineWebhooks(): ValidatingAdmissionPlugin {
  return {
    name: 'capi-machine-validation',
    validate(request) {
      const rules = request.group === GROUP ? rulesByResource[request.resource] : undefined;
      if (!rules || !request.object || request.operation === 'DELETE') return allowed;
      if (request.subresource !== undefined) return allowed;
      return rejectInvalid(rules.kind, GROUP, request.name, rules.causes(request));
    },
  };
}
