/**
 * The simulated infrastructure's timing: DevMachine `spec.backend.inMemory` start-up durations
 * and jitter (as CAPI's in-memory provider reads them), defaults for every other kind, and the
 * fault knobs — all derived from object uids so a given machine always behaves the same way.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import type { EngineContext } from './engine-context.ts';
import { stableFraction } from './naming.ts';
import { recordField, stringField } from './object-fields.ts';

export type SimulatedStep = 'vm' | 'node' | 'apiServer' | 'etcd';

/** Simulated seconds for kinds that do not describe their own start-up. */
export const DEFAULT_STARTUP_SECONDS: Record<SimulatedStep | 'infraCluster', number> = {
  infraCluster: 2,
  vm: 5,
  node: 2,
  apiServer: 2,
  etcd: 2,
};
const DEFAULT_JITTER = 0.2;
/** Simulated seconds a faulty node stays Ready before it turns NotReady. */
export const NODE_FAULT_AFTER_SECONDS = 30;

/** Go duration strings as the CRDs carry them: "10s", "1m30s", "500ms", "1h". */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let seconds = 0;
  let matched = '';
  for (const match of text.matchAll(pattern)) {
    const value = Number(match[1]);
    const unit = match[2];
    seconds += unit === 'h' ? value * 3600 : unit === 'm' ? value * 60 : unit === 'ms' ? value / 1000 : value;
    matched += match[0];
  }
  return matched === text ? seconds : undefined;
}

/** The start-up of one step for an infrastructure machine, jitter included, in simulated seconds. */
export function stepSeconds(infraMachine: KubeObject | undefined, step: SimulatedStep): number {
  const provisioning = recordField(infraMachine, `spec.backend.inMemory.${step}.provisioning`);
  const duration =
    parseGoDuration(stringField(provisioning, 'startupDuration')) ?? DEFAULT_STARTUP_SECONDS[step];
  const jitter = Number(stringField(provisioning, 'startupJitter') ?? DEFAULT_JITTER);
  const seed = `${infraMachine?.metadata.uid ?? ''}/${step}`;
  return duration * (1 + (Number.isFinite(jitter) ? jitter : 0) * stableFraction(seed));
}

/**
 * Milliseconds left until a step completes; ≤ 0 when done. `since` is when the step began as the
 * object's persisted state tells it, so a restarted engine resumes the step instead of restarting it.
 */
export function remainingMs(
  ctx: EngineContext,
  uid: string,
  step: string,
  seconds: number,
  since?: string,
): number {
  return ctx.startedAt(uid, step, since) + ctx.scaled(seconds) - ctx.clock.now();
}

export function failsProvisioning(ctx: EngineContext, uid: string | undefined): boolean {
  return ctx.faults.machineFailureRate > 0 && stableFraction(`${uid}/fail`) < ctx.faults.machineFailureRate;
}

export function nodeGoesNotReady(ctx: EngineContext, uid: string | undefined): boolean {
  return ctx.faults.nodeNotReadyRate > 0 && stableFraction(`${uid}/notready`) < ctx.faults.nodeNotReadyRate;
}

/** A stable private address for a machine, for `status.addresses`. */
export function machineAddress(uid: string | undefined): string {
  const n = Math.floor(stableFraction(`${uid}/ip`) * 65_000) + 256;
  return `10.${(n >> 16) & 255 || 10}.${(n >> 8) & 255}.${n & 255}`;
}
