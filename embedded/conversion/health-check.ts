/**
 * Health checks: v1beta1 MachineHealthCheck fields (unhealthyConditions with duration timeouts,
 * nodeStartupTimeout, maxUnhealthy, unhealthyRange, remediationTemplate) ⇄ v1beta2 `checks` +
 * `remediation` (…Seconds, triggerIf, templateRef). Used by the MachineHealthCheck kind and by
 * topology / ClusterClass `machineHealthCheck` ⇄ `healthCheck`.
 */
import { fromSeconds, toSeconds } from './durations.ts';
import { arrayAt, child, dropEmpty, isObject, objectAt, put, take, type Json } from './json.ts';
import { fromTemplateRef, toTemplateRef } from './refs.ts';

function conditionsToSeconds(list: unknown): unknown {
  return arrayAt(list)?.map((c) =>
    isObject(c) ? { type: c['type'], status: c['status'], ...secondsOf(c['timeout']) } : c,
  );
}

function secondsOf(timeout: unknown): Json {
  const seconds = toSeconds(timeout);
  return seconds === undefined ? {} : { timeoutSeconds: seconds };
}

function conditionsToDurations(list: unknown): unknown {
  return arrayAt(list)?.map((c) =>
    isObject(c)
      ? { type: c['type'], status: c['status'], timeout: fromSeconds(c['timeoutSeconds']) ?? '0s' }
      : c,
  );
}

/** Takes the v1beta1 fields off `from` and returns the v1beta2 {checks, remediation} parts. */
export function healthCheckToV1beta2(from: Json): { checks: Json; remediation: Json } {
  const checks: Json = {};
  put(checks, 'nodeStartupTimeoutSeconds', toSeconds(take(from, 'nodeStartupTimeout')));
  put(checks, 'unhealthyNodeConditions', conditionsToSeconds(take(from, 'unhealthyConditions')));
  put(checks, 'unhealthyMachineConditions', conditionsToSeconds(take(from, 'unhealthyMachineConditions')));
  const remediation: Json = {};
  const triggerIf: Json = {};
  put(triggerIf, 'unhealthyLessThanOrEqualTo', take(from, 'maxUnhealthy'));
  put(triggerIf, 'unhealthyInRange', take(from, 'unhealthyRange'));
  if (Object.keys(triggerIf).length) remediation['triggerIf'] = triggerIf;
  put(remediation, 'templateRef', toTemplateRef(take(from, 'remediationTemplate')));
  return { checks, remediation };
}

/** The v1beta1 fields for v1beta2 {checks, remediation}. */
export function healthCheckToV1beta1(
  checks: unknown,
  remediation: unknown,
  namespace: string | undefined,
): Json {
  const out: Json = {};
  const c = objectAt(checks) ?? {};
  const r = objectAt(remediation) ?? {};
  const triggerIf = objectAt(r['triggerIf']) ?? {};
  put(out, 'unhealthyConditions', conditionsToDurations(c['unhealthyNodeConditions']));
  put(out, 'unhealthyMachineConditions', conditionsToDurations(c['unhealthyMachineConditions']));
  put(out, 'nodeStartupTimeout', fromSeconds(c['nodeStartupTimeoutSeconds']));
  put(out, 'maxUnhealthy', triggerIf['unhealthyLessThanOrEqualTo']);
  put(out, 'unhealthyRange', triggerIf['unhealthyInRange']);
  put(out, 'remediationTemplate', fromTemplateRef(r['templateRef'], namespace));
  return out;
}

/** Topology / ClusterClass: v1beta1 `machineHealthCheck` on `from` → v1beta2 `healthCheck` on `to`. */
export function machineHealthCheckToHealthCheck(from: Json, to: Json, withEnable: boolean): void {
  const mhc = objectAt(take(from, 'machineHealthCheck'));
  if (!mhc) return;
  const healthCheck = child(to, 'healthCheck');
  if (withEnable) put(healthCheck, 'enabled', take(mhc, 'enable'));
  const { checks, remediation } = healthCheckToV1beta2(mhc);
  if (Object.keys(checks).length) healthCheck['checks'] = checks;
  if (Object.keys(remediation).length)
    healthCheck['remediation'] = { ...objectAt(healthCheck['remediation']), ...remediation };
  dropEmpty(to, 'healthCheck');
}

/** Topology / ClusterClass: v1beta2 `healthCheck` on `from` → v1beta1 `machineHealthCheck` on `to`. */
export function healthCheckToMachineHealthCheck(
  from: Json,
  to: Json,
  namespace: string | undefined,
  withEnable: boolean,
): void {
  const healthCheck = objectAt(take(from, 'healthCheck'));
  if (!healthCheck) return;
  const remediation = objectAt(healthCheck['remediation']);
  const mhc = healthCheckToV1beta1(healthCheck['checks'], remediation, namespace);
  if (withEnable) put(mhc, 'enable', healthCheck['enabled']);
  if (Object.keys(mhc).length) to['machineHealthCheck'] = mhc;
}
