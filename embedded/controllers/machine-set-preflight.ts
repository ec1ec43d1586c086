/**
 * CAPI v1.14's MachineSet preflight checks (core/reconcilers/machineset/machineset_preflight.go):
 * before a MachineSet creates (or remediates) machines, the control plane must be stable and the
 * MachineSet's version must fit the Kubernetes and kubeadm skew policies against it. A failed
 * check holds the operation back and is reported in the MachineSet's conditions; nothing fails.
 * Messages are CAPI's, word for word (semver strings without the `v`, as blang/semver prints them).
 */
import semver from 'semver';
import type { KubeObject } from '../apiserver/admission.ts';
import type { EngineContext } from './engine-context.ts';
import { readObjectRef } from './machine-factory.ts';
import { arrayField, isRecord, recordField, stringField } from './object-fields.ts';
import { BOOTSTRAP_GROUP } from './resource-types.ts';

export const SKIP_PREFLIGHT_CHECKS_ANNOTATION = 'machineset.cluster.x-k8s.io/skip-preflight-checks';
/** Set by the topology controller on a Cluster while an upgrade runs: the version of the current step. */
export const UPGRADE_STEP_ANNOTATION = 'topology.internal.cluster.x-k8s.io/upgrade-step';
/** CAPI re-verifies failed checks after 15 s (preflightFailedRequeueAfter), scaled by the speed factor. */
export const PREFLIGHT_RETRY_SECONDS = 15;

type Check =
  'All' | 'ControlPlaneIsStable' | 'KubernetesVersionSkew' | 'KubeadmVersionSkew' | 'ControlPlaneVersionSkew';

export type PreflightResult =
  | { state: 'passed' }
  /** `messages` are CAPI's preflightCheckErrMessages (failed checks, or the error that stopped them). */
  | { state: 'blocked'; messages: string[] }
  /** A cache the checks read has not listed yet: retry soon, report nothing. */
  | { state: 'pending' };

const failed = (check: Check): string => `("${check}" preflight check failed)`;

function parse(version: string): semver.SemVer | undefined {
  return semver.parse(version.replace(/^v/, '')) ?? semver.coerce(version) ?? undefined;
}

function skippedChecks(ctx: EngineContext, ms: KubeObject): Set<string> {
  let skip = ms.metadata.annotations?.[SKIP_PREFLIGHT_CHECKS_ANNOTATION] ?? '';
  // Falls back to the bootstrap config template's annotation, as CAPI does.
  const configRef = readObjectRef(ms, 'spec.template.spec.bootstrap.configRef');
  if (skip === '' && configRef) {
    const found = ctx.cache.getRef(configRef.apiGroup, configRef.kind, ms.metadata.namespace, configRef.name);
    if (found.state === 'found')
      skip = found.object.metadata.annotations?.[SKIP_PREFLIGHT_CHECKS_ANNOTATION] ?? '';
  }
  return new Set(skip === '' ? [] : skip.split(',').map((check) => check.trim()));
}

/** contract.ControlPlane().IsProvisioning: no status.versions / status.version yet. */
function isProvisioning(controlPlane: KubeObject): boolean {
  const versions = arrayField(controlPlane, 'status.versions').filter(isRecord);
  const current =
    versions.length > 0 ? stringField(versions[0], 'version') : stringField(controlPlane, 'status.version');
  return !current;
}

/** contract.ControlPlane().IsUpgrading: some reported version is behind spec.version (build tags count). */
function isUpgrading(controlPlane: KubeObject, specVersion: semver.SemVer): boolean {
  const versions = arrayField(controlPlane, 'status.versions')
    .filter(isRecord)
    .map((entry) => stringField(entry, 'version') ?? '');
  const reported = versions.length > 0 ? versions : [stringField(controlPlane, 'status.version') ?? ''];
  return reported.some((version) => {
    if (version === '') return false;
    const parsed = parse(version);
    return parsed !== undefined && semver.compareBuild(specVersion, parsed) >= 1;
  });
}

function controlPlaneIsStable(
  cluster: KubeObject,
  controlPlane: KubeObject,
  cpVersion: string,
  cpSemver: semver.SemVer,
): string | undefined {
  const ref = `${controlPlane.kind} ${controlPlane.metadata.namespace}/${controlPlane.metadata.name}`;
  if (recordField(cluster, 'spec.topology') !== undefined) {
    const step = cluster.metadata.annotations?.[UPGRADE_STEP_ANNOTATION] ?? '';
    const topologyVersion = stringField(cluster, 'spec.topology.version') ?? '';
    if (topologyVersion !== cpVersion && !(step !== '' && step === cpVersion))
      return `${ref} has a pending version upgrade to ${step || topologyVersion} ${failed('ControlPlaneIsStable')}`;
  }
  if (isProvisioning(controlPlane)) return `${ref} is provisioning ${failed('ControlPlaneIsStable')}`;
  if (isUpgrading(controlPlane, cpSemver)) return `${ref} is upgrading ${failed('ControlPlaneIsStable')}`;
  return undefined;
}

function kubernetesVersionSkew(cp: semver.SemVer, ms: semver.SemVer): string | undefined {
  const versions = `MachineSet version (${ms.version}) and ControlPlane version (${cp.version}) do not conform to the kubernetes version skew policy as MachineSet version is`;
  if (ms.minor > cp.minor)
    return `${versions} higher than ControlPlane version ${failed('KubernetesVersionSkew')}`;
  if (ms.minor < cp.minor - 3)
    return `${versions} more than 3 minor versions older than the ControlPlane version ${failed('KubernetesVersionSkew')}`;
  return undefined;
}

function kubeadmVersionSkew(cp: semver.SemVer, msSemver: semver.SemVer, ms: KubeObject): string | undefined {
  const configRef = readObjectRef(ms, 'spec.template.spec.bootstrap.configRef');
  if (configRef?.kind !== 'KubeadmConfigTemplate' || configRef.apiGroup !== BOOTSTRAP_GROUP) return undefined;
  if (cp.minor === msSemver.minor) return undefined;
  return `MachineSet version (${msSemver.version}) and ControlPlane version (${cp.version}) do not conform to kubeadm version skew policy as kubeadm only supports joining with the same major+minor version as the control plane ${failed('KubeadmVersionSkew')}`;
}

function controlPlaneVersionSkew(
  cluster: KubeObject,
  cpVersion: string,
  msVersion: string,
): string | undefined {
  if (recordField(cluster, 'spec.topology') === undefined || cpVersion === msVersion) return undefined;
  return `MachineSet version (${msVersion}) is not yet the same as the ControlPlane version (${cpVersion}), waiting for version to be propagated to the MachineSet ${failed('ControlPlaneVersionSkew')}`;
}

/** runPreflightChecks: `action` is "Scale up" or "Machine remediation". */
export function runPreflightChecks(
  ctx: EngineContext,
  cluster: KubeObject | undefined,
  ms: KubeObject,
  action: string,
): PreflightResult {
  const skipped = skippedChecks(ctx, ms);
  const controlPlaneRef = cluster ? readObjectRef(cluster, 'spec.controlPlaneRef') : undefined;
  if (!cluster || skipped.has('All') || !controlPlaneRef) return { state: 'passed' };
  const found = ctx.cache.getRef(
    controlPlaneRef.apiGroup,
    controlPlaneRef.kind,
    cluster.metadata.namespace,
    controlPlaneRef.name,
  );
  const cpKey = `${cluster.metadata.namespace}/${controlPlaneRef.name}`;
  const stopped = (why: string): PreflightResult => ({
    state: 'blocked',
    messages: [`failed to perform "${action}": failed to perform preflight checks: ${why}`],
  });
  if (found.state === 'pending') return { state: 'pending' };
  if (found.state === 'missing')
    return stopped(`failed to get ControlPlane ${cpKey}: ${controlPlaneRef.kind} ${cpKey} not found`);
  const controlPlane = found.object;
  const cpVersion = stringField(controlPlane, 'spec.version');
  // A control plane without a version gives the checks nothing to compare: CAPI lets it pass.
  if (cpVersion === undefined) return { state: 'passed' };
  const cpSemver = parse(cpVersion);
  if (!cpSemver) return stopped(`failed to parse version "${cpVersion}" of ControlPlane ${cpKey}`);

  const run = (check: Check): boolean => !skipped.has(check);
  const messages: string[] = [];
  const add = (message: string | undefined): void => void (message && messages.push(message));
  if (run('ControlPlaneIsStable')) add(controlPlaneIsStable(cluster, controlPlane, cpVersion, cpSemver));
  const msVersion = stringField(ms, 'spec.template.spec.version') ?? '';
  if (msVersion !== '') {
    const msSemver = parse(msVersion);
    if (!msSemver)
      return stopped(
        `failed to parse version "${msVersion}" of MachineSet ${ms.metadata.namespace}/${ms.metadata.name}`,
      );
    if (run('KubernetesVersionSkew')) add(kubernetesVersionSkew(cpSemver, msSemver));
    if (run('KubeadmVersionSkew')) add(kubeadmVersionSkew(cpSemver, msSemver, ms));
    if (run('ControlPlaneVersionSkew')) add(controlPlaneVersionSkew(cluster, cpVersion, msVersion));
  }
  return messages.length > 0 ? { state: 'blocked', messages } : { state: 'passed' };
}

/** The v1beta2 ScalingUp message of a blocked scale up (setScalingUpCondition). */
export function blockedScaleUpMessage(current: number, desired: number, messages: string[]): string {
  return `Scaling up from ${current} to ${desired} replicas is blocked because:\n${messages.map((m) => `* ${m}`).join('\n')}`;
}
