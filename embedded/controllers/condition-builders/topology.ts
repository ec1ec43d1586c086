/**
 * The conditions of managed topologies: a Cluster's TopologyReconciled (as CAPI's topology
 * controller writes it) and a ClusterClass's own. Pure: facts in, ConditionInput out.
 */
import type { ConditionInput } from '../conditions.ts';
import { pausedCondition } from './common.ts';

/** While the ClusterClass is missing. */
export function topologyClassNotFound(key: { namespace: string; name: string }): ConditionInput {
  return {
    type: 'TopologyReconciled',
    status: false,
    reason: 'ReconcileFailed',
    message: `failed to retrieve ClusterClass ${key.namespace}/${key.name}: ClusterClass.cluster.x-k8s.io "${key.name}" not found`,
  };
}

export interface TopologyFacts {
  /** The control plane is upgrading and has reported a version; with its progress message. */
  controlPlaneUpgrading: boolean;
  controlPlaneMessage: string | undefined;
  /** MachineDeployments waiting to upgrade, and the version they go to. */
  pendingDeployments: string[];
  version: string | undefined;
  /** The ClusterClass has patches, which the embedded engine does not apply. */
  hasPatches: boolean;
}

export function topologyReconciledCondition(facts: TopologyFacts): ConditionInput {
  const patchNote = facts.hasPatches ? ' (ClusterClass patches are not applied by the embedded engine)' : '';
  if (facts.controlPlaneUpgrading)
    return {
      type: 'TopologyReconciled',
      status: false,
      reason: 'ClusterUpgrading',
      message: `${facts.controlPlaneMessage ?? 'Control plane upgrading'}; MachineDeployments upgrade pending${patchNote}`,
    };
  if (facts.pendingDeployments.length > 0)
    return {
      type: 'TopologyReconciled',
      status: false,
      reason: 'MachineDeploymentsUpgradePending',
      message: `MachineDeployments ${facts.pendingDeployments.join(', ')} upgrade to version ${facts.version} pending${patchNote}`,
    };
  return {
    type: 'TopologyReconciled',
    status: true,
    reason: 'ReconcileSucceeded',
    message: patchNote.trim(),
  };
}

/** Waiting for something the topology needs (a template, a class, a version step). */
export function topologyWaitingCondition(reason: string, message: string): ConditionInput {
  return { type: 'TopologyReconciled', status: false, reason, message };
}

/** A ClusterClass whose variables and template references were resolved. */
export function clusterClassConditions(): ConditionInput[] {
  return [
    { type: 'VariablesReady', status: true, reason: 'VariablesReady' },
    { type: 'RefVersionsUpToDate', status: true, reason: 'RefVersionsUpToDate' },
    pausedCondition(false),
  ];
}
