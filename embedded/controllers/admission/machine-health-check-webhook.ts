/**
 * CAPI's MachineHealthCheck webhook (v1beta2 field names): the selector must select something
 * and may only pin the MHC's own cluster, `spec.clusterName` is immutable, a node start-up
 * timeout is 0 (disabled) or at least 30s, and the remediation trigger is an int or a percentage.
 */
import type {
  AdmissionCause,
  AdmissionRequest,
  ValidatingAdmissionPlugin,
} from '../../apiserver/admission.ts';
import { numberField, stringField, stringMapField } from '../object-fields.ts';
import { LABELS } from '../labels.ts';
import { allowed, invalidField, rejectInvalid } from './admission-responses.ts';
import {
  changed,
  immutableClusterNameCauses,
  intOrPercentCauses,
  selectorEmpty,
} from './webhook-field-rules.ts';

const GROUP = 'cluster.x-k8s.io';
const MIN_NODE_STARTUP_TIMEOUT_SECONDS = 30;

function selectorRuleCauses(request: AdmissionRequest): AdmissionCause[] {
  if (!changed(request, 'spec.selector') && !changed(request, 'spec.clusterName')) return [];
  if (selectorEmpty(request))
    return [
      invalidField('spec.selector', 'Required value: selector must not be empty', 'FieldValueRequired'),
    ];
  const pinned = stringMapField(request.object, 'spec.selector.matchLabels')[LABELS.clusterName];
  if (pinned !== undefined && pinned !== stringField(request.object, 'spec.clusterName')) {
    return [
      invalidField(
        'spec.selector',
        `Invalid value: ${JSON.stringify(pinned)}: cannot specify a cluster selector other than the one specified by ClusterName`,
      ),
    ];
  }
  return [];
}

function nodeStartupTimeoutCauses(request: AdmissionRequest): AdmissionCause[] {
  const path = 'spec.checks.nodeStartupTimeoutSeconds';
  const seconds = numberField(request.object, path);
  if (seconds === undefined || seconds === 0 || seconds >= MIN_NODE_STARTUP_TIMEOUT_SECONDS) return [];
  if (!changed(request, path)) return [];
  return [invalidField(path, `Invalid value: ${seconds}: must be at least 30s`)];
}

export function createMachineHealthCheckWebhook(): ValidatingAdmissionPlugin {
  return {
    name: 'capi-machine-health-check',
    validate(request) {
      if (request.group !== GROUP || request.resource !== 'machinehealthchecks') return allowed;
      if (!request.object || request.operation === 'DELETE' || request.subresource !== undefined)
        return allowed;
      const causes = [
        ...selectorRuleCauses(request),
        ...immutableClusterNameCauses(request),
        ...nodeStartupTimeoutCauses(request),
        ...intOrPercentCauses(request, 'spec.remediation.triggerIf.unhealthyLessThanOrEqualTo'),
      ];
      return rejectInvalid('MachineHealthCheck', GROUP, request.name, causes);
    },
  };
}
