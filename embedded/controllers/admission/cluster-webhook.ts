/**
 * CAPI's Cluster webhook rules for topology clusters: a valid `spec.topology.version` that never
 * decreases, skips no minor release (unless the ClusterClass lists `kubernetesVersions`) and is
 * not bumped to a new minor while the previous upgrade is still rolling out. A ClusterClass that
 * does not exist (yet) is a warning on create, as in CAPI, and the topology controller waits
 * for it; moving an existing Cluster to a missing class is rejected.
 */
import type {
  AdmissionCause,
  AdmissionRequest,
  AdmissionResponse,
  KubeObject,
  ValidatingAdmissionPlugin,
} from '../../apiserver/admission.ts';
import { arrayField, recordField, stringField } from '../object-fields.ts';
import { compareKubernetesVersions, parseKubernetesVersion, skipsMinor } from '../kubernetes-version.ts';
import { allowed, invalidField, rejectInvalid } from './admission-responses.ts';

const GROUP = 'cluster.x-k8s.io';

export interface TopologyUpgradeState {
  /** `status.version` of the control plane, when it reports one. */
  controlPlaneVersion?: string;
  /** True while any MachineDeployment of the topology still rolls out to the previous version. */
  machineDeploymentsUpgrading: boolean;
}

export interface ClusterTopologyLookup {
  getClusterClass(namespace: string, name: string): KubeObject | undefined;
  getTopologyUpgradeState(namespace: string, clusterName: string): TopologyUpgradeState;
}

function classKey(cluster: KubeObject | undefined): { namespace: string; name: string } | undefined {
  const name = stringField(cluster, 'spec.topology.classRef.name');
  if (!name) return undefined;
  return {
    name,
    namespace: stringField(cluster, 'spec.topology.classRef.namespace') ?? cluster?.metadata.namespace ?? '',
  };
}

function versionCauses(
  request: AdmissionRequest,
  clusterClass: KubeObject | undefined,
  lookup: ClusterTopologyLookup,
): AdmissionCause[] {
  const field = 'spec.topology.version';
  const version = stringField(request.object, field);
  const parsed = parseKubernetesVersion(version);
  if (!parsed)
    return [invalidField(field, `Invalid value: "${version ?? ''}": must be a valid semantic version`)];
  const listed = arrayField(clusterClass, 'spec.kubernetesVersions').filter(
    (v): v is string => typeof v === 'string',
  );
  if (listed.length > 0 && !listed.includes(parsed.raw)) {
    return [
      invalidField(
        field,
        `Invalid value: "${parsed.raw}": version must be one of the ClusterClass kubernetesVersions`,
      ),
    ];
  }
  const previousRaw = stringField(request.oldObject, field);
  const previous = parseKubernetesVersion(previousRaw);
  if (!previous || !previousRaw || previousRaw === parsed.raw) return [];
  // CAPI's wording: the versions in the message carry no `v`.
  const bare = (v: string): string => v.replace(/^v/, '');
  if (compareKubernetesVersions(parsed.raw, previousRaw) < 0) {
    return [
      invalidField(
        field,
        `Invalid value: "${parsed.raw}": version cannot be decreased from "${bare(previousRaw)}" to "${bare(parsed.raw)}"`,
      ),
    ];
  }
  if (skipsMinor(previous, parsed) && listed.length === 0) {
    return [
      invalidField(
        field,
        `Invalid value: "${parsed.raw}": version cannot be increased from "${bare(previousRaw)}" to "${bare(parsed.raw)}"`,
      ),
    ];
  }
  if (parsed.minor !== previous.minor || parsed.major !== previous.major) {
    const state = lookup.getTopologyUpgradeState(request.namespace ?? '', request.name);
    const provisioning = state.controlPlaneVersion === undefined;
    const controlPlaneBehind = !provisioning && state.controlPlaneVersion !== previousRaw;
    if (provisioning || controlPlaneBehind || state.machineDeploymentsUpgrading) {
      const why = provisioning
        ? 'control plane is currently provisioning'
        : controlPlaneBehind
          ? 'control plane is currently upgrading'
          : 'MachineDeployments are currently upgrading';
      return [invalidField(field, `Invalid value: "${parsed.raw}": version cannot be changed: ${why}`)];
    }
  }
  return [];
}

export function createClusterWebhook(lookup: ClusterTopologyLookup): ValidatingAdmissionPlugin {
  return {
    name: 'capi-cluster',
    validate(request): AdmissionResponse {
      if (request.group !== GROUP || request.resource !== 'clusters') return allowed;
      if (request.operation === 'DELETE' || request.subresource !== undefined || !request.object)
        return allowed;
      if (!recordField(request.object, 'spec.topology')) return allowed;
      const key = classKey(request.object);
      const clusterClass = key ? lookup.getClusterClass(key.namespace, key.name) : undefined;
      const causes = versionCauses(request, clusterClass, lookup);
      if (key && !clusterClass) {
        // CAPI admits a new Cluster with a warning but rejects every update until the class exists.
        if (request.operation === 'UPDATE') {
          causes.push(
            invalidField(
              'spec.topology.class',
              `Internal error: ClusterClass ${key.namespace}/${key.name} not found`,
              'InternalError',
            ),
          );
        } else if (causes.length === 0) {
          return {
            allowed: true,
            warnings: [
              `Cluster refers to ClusterClass ${key.namespace}/${key.name}, but this ClusterClass does not exist. Cluster topology has not been fully validated. The ClusterClass must be created to reconcile the Cluster`,
            ],
          };
        }
      }
      return rejectInvalid('Cluster', GROUP, request.name, causes);
    },
  };
}
